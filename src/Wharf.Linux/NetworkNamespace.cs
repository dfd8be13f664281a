using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>
/// Network namespaces: named ones kept alive by a bind mount (as <c>ip netns add</c> makes
/// them), and work done inside one. A socket belongs to the namespace it was made in for its
/// whole life, so a daemon can serve inside a container's namespace by making the socket there
/// and using it from any thread afterwards.
/// </summary>
public static class NetworkNamespace
{
    private const string ThreadNamespace = "/proc/thread-self/ns/net";

    /// <summary>Two starts at once must not both find the directory unmounted and both bind it onto itself.</summary>
    private static readonly Lock DirectoryLock = new();

    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own that has joined the network
    /// namespace at <paramref name="path"/> (a bind-mounted <c>/run/netns</c> file or a
    /// <c>/proc/PID/ns/net</c>); the thread returns to the daemon's namespace before it ends.
    /// </summary>
    public static T Run<T>(string path, Func<T> action)
        => OnOwnThread(path, () => Inside(() =>
        {
            var target = Open(path);
            try
            {
                Join(target, path);
            }
            finally
            {
                _ = LibC.Close(target);
            }
        }, action));

    /// <summary>
    /// Makes a new network namespace kept alive by a bind mount on <paramref name="path"/>, the
    /// way iproute2's <c>ip netns add</c> does, so that runc, <c>ip netns</c> and
    /// <c>nsenter --net=PATH</c> all see it: the directory becomes a shared mount (bound onto
    /// itself first if it is no mount point) so the mount reaches other mount namespaces, the
    /// file is created (EEXIST if it exists), and a thread that unshared its network namespace
    /// binds its <c>/proc/thread-self/ns/net</c> there. <paramref name="inside"/>, if given,
    /// runs in the new namespace before this returns. On failure nothing is left behind.
    /// </summary>
    public static void Create(string path, Action? inside = null)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"no directory in {path}", nameof(path));
        lock (DirectoryLock)
        {
            MakeSharedDirectory(directory);
        }

        var fd = LibC.Open(path, ORdonly | OCreat | OExcl | LibC.OCloexec, 0);
        if (fd < 0)
        {
            throw new ErrnoException("create", Marshal.GetLastPInvokeError(), path);
        }

        _ = LibC.Close(fd);
        try
        {
            OnOwnThread(path, () => Inside(
                () =>
                {
                    if (LibC.Unshare(LibC.CloneNewNet) != 0)
                    {
                        throw new ErrnoException("unshare(CLONE_NEWNET)", Marshal.GetLastPInvokeError(), path);
                    }
                },
                () =>
                {
                    Posix.Mount(ThreadNamespace, path, "none", MountFlags.Bind, null);
                    inside?.Invoke();
                    return 0;
                }));
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Removes a namespace made by <see cref="Create"/> (or <c>ip netns add</c>): detaches the
    /// bind mount and deletes the file. The namespace itself ends when nothing else holds it.
    /// A missing file is no error.
    /// </summary>
    public static void Delete(string path)
    {
        // Not mounted (a half-made namespace) is fine: the file still goes.
        _ = LibC.Umount2(path, (int)UnmountFlags.Detach);
        if (LibC.Unlink(path) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Errno.ENOENT)
        {
            throw new ErrnoException("unlink", errno, path);
        }
    }

    private const int ORdonly = 0;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;

    /// <summary>mkdir -p; then make it a shared mount point, binding it onto itself when it is none (mount answers EINVAL).</summary>
    private static void MakeSharedDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            var parent = Path.GetDirectoryName(directory);
            if (parent is not null)
            {
                Directory.CreateDirectory(parent);
            }

            if (LibC.Mkdir(directory, 0b111_101_101) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != Errno.EEXIST)
            {
                throw new ErrnoException("mkdir", errno, directory);
            }
        }

        if (LibC.Mount("none", directory, "none", (nuint)(ulong)(MountFlags.Shared | MountFlags.Recursive), null) == 0)
        {
            return;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error != Errno.EINVAL)
        {
            throw new ErrnoException("mount --make-rshared", error, directory);
        }

        Posix.Mount(directory, directory, "none", MountFlags.Bind | MountFlags.Recursive, null);
        Posix.Mount("none", directory, "none", MountFlags.Shared | MountFlags.Recursive, null);
    }

    /// <summary>Switches this thread's namespace with <paramref name="enter"/>, runs <paramref name="action"/>, and goes back to the namespace it had.</summary>
    private static T Inside<T>(Action enter, Func<T> action)
    {
        var own = Open(ThreadNamespace);
        try
        {
            enter();
            try
            {
                return action();
            }
            finally
            {
                Join(own, ThreadNamespace);
            }
        }
        finally
        {
            _ = LibC.Close(own);
        }
    }

    /// <summary>Runs <paramref name="body"/> on a new thread: a namespace switch must never touch a pool thread.</summary>
    private static T OnOwnThread<T>(string path, Func<T> body)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                error = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns",
        };
        thread.Start();
        thread.Join();
        if (error is IOException)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        if (error is not null)
        {
            throw new IOException($"in network namespace {path}: {error.Message}", error);
        }

        return result!;
    }

    private static int Open(string path)
    {
        var fd = LibC.Open(path, LibC.OCloexec, 0);
        return fd >= 0 ? fd : throw new ErrnoException("open", Marshal.GetLastPInvokeError(), path);
    }

    private static void Join(int fd, string path)
    {
        if (LibC.Setns(fd, LibC.CloneNewNet) != 0)
        {
            throw new ErrnoException("setns", Marshal.GetLastPInvokeError(), path);
        }
    }
}
