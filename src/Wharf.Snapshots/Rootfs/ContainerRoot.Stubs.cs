using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

internal sealed partial class ContainerRoot
{
    public bool RemoveMountStub(string path)
    {
        var clean = ScopedPath.Clean(ScopedPath.Absolute(path));
        if (clean == "/")
        {
            return false;
        }

        var (dir, name) = ScopedPath.Split(clean);
        try
        {
            // The parent is resolved in the root (symlinks the command made stay inside it);
            // the stub itself is never followed.
            using var parent = PosixAt.OpenInRoot(_root, dir, OpenOptions.Path | OpenOptions.Directory, Scoped);
            if (!PosixAt.TryStatAt(parent, name, out var st))
            {
                return false;
            }

            var isDir = st.Kind == FileKind.Directory;
            if (!isDir && !(st.Kind == FileKind.RegularFile && st.Size == 0))
            {
                return false;
            }

            var before = PosixAt.Stat(parent);
            try
            {
                PosixAt.UnlinkAt(parent, name, isDir);
            }
            catch (ErrnoException e) when (e.Errno is Errno.ENOTEMPTY or Errno.EEXIST or Errno.EBUSY)
            {
                return false;
            }

            PosixAt.SetTimesAt(parent, "", Time(before.AccessSeconds, before.AccessNanoseconds), Time(before.ModifySeconds, before.ModifyNanoseconds));
            return true;
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
        {
            return false;
        }
    }

    private static DateTimeOffset Time(long seconds, uint nanoseconds)
        => DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100));
}
