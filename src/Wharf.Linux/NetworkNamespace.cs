using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>
/// Work done inside another network namespace. A socket belongs to the namespace it was made
/// in for its whole life, so a daemon can serve inside a container's namespace by making the
/// socket there and using it from any thread afterwards.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own that has joined the network
    /// namespace at <paramref name="path"/> (a bind-mounted <c>/run/netns</c> file or a
    /// <c>/proc/PID/ns/net</c>); the thread returns to the daemon's namespace before it ends.
    /// </summary>
    public static T Run<T>(string path, Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = RunHere(path, action);
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
        if (error is not null)
        {
            throw error is ErrnoException ? error : new IOException($"in network namespace {path}: {error.Message}", error);
        }

        return result!;
    }

    private static T RunHere<T>(string path, Func<T> action)
    {
        var own = Open("/proc/thread-self/ns/net");
        try
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

            try
            {
                return action();
            }
            finally
            {
                Join(own, "/proc/thread-self/ns/net");
            }
        }
        finally
        {
            _ = LibC.Close(own);
        }
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
