using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Wharf.Core.Containers.Spec;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

internal sealed partial class ContainerRoot
{
    /// <summary>
    /// Bind-mounts a host path onto its destination inside this root. The destination is
    /// resolved inside the root and mounted on through its handle (/proc/self/fd), so a link
    /// in the container cannot redirect the mount to a host directory. Missing destinations,
    /// mismatched kinds and kernel file systems are skipped; a bind that cannot be made
    /// read-only is taken down again rather than left writable.
    /// </summary>
    public void MountBind(ContainerMount bind)
    {
        var sourceIsDir = Directory.Exists(bind.Source);
        if (!sourceIsDir && !File.Exists(bind.Source))
        {
            return;
        }

        var resolved = ScopedPath.Resolve(ScopedPath.Absolute(bind.Destination), ReadLinkOrNull, followFinal: true);
        SafeFileHandle target;
        try
        {
            target = PosixAt.OpenInRoot(_root, resolved, OpenOptions.Path, Scoped);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
        {
            return;
        }

        using (target)
        {
            var isDir = PosixAt.Stat(target).Kind == FileKind.Directory;
            if (isDir != sourceIsDir || PosixAt.IsPseudoFileSystem(target))
            {
                return;
            }

            Posix.Mount(bind.Source, FdPath(target), null, MountFlags.Bind | (bind.NonRecursive ? MountFlags.None : MountFlags.Recursive), null);
        }

        if (bind.Writable)
        {
            return;
        }

        // Opened through the mount point, the handle is the new mount's root: remount that.
        using var mounted = PosixAt.OpenInRoot(_root, resolved, OpenOptions.Path, Scoped);
        try
        {
            Posix.Mount(null, FdPath(mounted), null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
        }
        catch (ErrnoException)
        {
            Posix.Unmount(FdPath(mounted), UnmountFlags.Detach);
            throw;
        }
    }

    private static string FdPath(SafeFileHandle handle)
        => "/proc/self/fd/" + ((int)handle.DangerousGetHandle()).ToString(CultureInfo.InvariantCulture);
}
