namespace Wharf.Linux;

/// <summary>
/// The kernel refused an rtnetlink request. Carries its errno (e.g. EEXIST for a name in use,
/// ENODEV for a missing link) and the kernel's own explanation when it gave one (extended ack).
/// </summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base(FormatMessage(operation, errno, kernelMessage))
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
        HResult = errno;
    }

    public string Operation { get; }

    public int Errno { get; }

    public string? KernelMessage { get; }

    private static string FormatMessage(string operation, int errno, string? kernelMessage)
    {
        var text = System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno);
        return string.IsNullOrEmpty(kernelMessage) ? $"{operation}: {text} (errno {errno})" : $"{operation}: {text} (errno {errno}): {kernelMessage}";
    }
}
