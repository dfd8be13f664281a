namespace Wharf.Linux;

/// <summary>
/// A failed libc call. Carries the errno and the path so callers can classify the failure
/// (e.g. ENOENT vs ENOSPC) without parsing messages.
/// </summary>
public sealed class ErrnoException : IOException
{
    public ErrnoException(string operation, int errno, string? path)
        : base(FormatMessage(operation, errno, path))
    {
        Operation = operation;
        Errno = errno;
        Path = path;
        HResult = errno;
    }

    public string Operation { get; }

    public int Errno { get; }

    public string? Path { get; }

    private static string FormatMessage(string operation, int errno, string? path)
    {
        var text = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return path is null ? $"{operation}: {text} (errno {errno})" : $"{operation} {path}: {text} (errno {errno})";
    }
}
