using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Wharf.Core.Containers.Files;
using Wharf.Core.Containers.Spec;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

/// <summary>Opens container root file systems as directory handles (see <see cref="IRootfsAccess"/>).</summary>
public sealed class RootfsAccess : IRootfsAccess
{
    public IContainerRoot OpenDirectory(string hostPath, string containerName, IReadOnlyList<ContainerMount>? binds = null)
    {
        var root = new ContainerRoot(PosixAt.Open(hostPath, OpenOptions.Path | OpenOptions.Directory), containerName);
        try
        {
            foreach (var bind in (binds ?? []).Where(b => b.Type == ContainerMountType.Bind).OrderBy(b => b.Destination.Length))
            {
                root.MountBind(bind);
            }

            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    public IContainerRoot? TryOpenProcessRoot(int pid, string cgroupMarker, string containerName)
    {
        if (pid <= 0)
        {
            return null;
        }

        SafeFileHandle proc;
        try
        {
            proc = PosixAt.Open("/proc/" + pid.ToString(CultureInfo.InvariantCulture), OpenOptions.Path | OpenOptions.Directory);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return null;
        }

        // The handle pins this process: if it exits, lookups through it fail instead of
        // reaching a new process that got the same PID. Its cgroup shows it is the container's.
        using (proc)
        {
            try
            {
                using (var cgroup = PosixAt.OpenAt(proc, "cgroup", OpenOptions.ReadOnly))
                using (var reader = new StreamReader(new FileStream(cgroup, FileAccess.Read, 1, isAsync: false)))
                {
                    if (!reader.ReadToEnd().Contains(cgroupMarker, StringComparison.Ordinal))
                    {
                        return null;
                    }
                }

                // "root" is a magic link to the process's root: following it is the point.
                return new ContainerRoot(PosixAt.OpenAt(proc, "root", OpenOptions.Path | OpenOptions.Directory), containerName);
            }
            catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.EACCES or 3 /* ESRCH */)
            {
                return null;
            }
        }
    }
}
