using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>
/// fsync(2) of a directory. A rename (or a create) is durable only once the directory holding
/// the new name is synced; .NET cannot open a directory as a file, so this goes through libc.
/// </summary>
public static class DirectorySync
{
    /// <summary>Opens <paramref name="path"/> as a directory and fsyncs it.</summary>
    public static void Sync(string path)
    {
        using var dir = PosixAt.Open(path, OpenOptions.Directory | OpenOptions.ReadOnly);
        var ok = false;
        dir.DangerousAddRef(ref ok);
        try
        {
            if (LibC.Fsync((int)dir.DangerousGetHandle()) != 0)
            {
                throw new ErrnoException("fsync", Marshal.GetLastPInvokeError(), path);
            }
        }
        finally
        {
            if (ok)
            {
                dir.DangerousRelease();
            }
        }
    }
}
