using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Wharf.Linux;

/// <summary>Named pipes.</summary>
public static class Fifo
{
    /// <summary>
    /// Opens a fifo for writing without blocking: succeeds only while a reader has it open
    /// (ENXIO otherwise). Opening and closing it gives a reader blocked in open or read an EOF.
    /// </summary>
    public static SafeFileHandle OpenWriterNonBlocking(string path)
    {
        var fd = LibC.Open(path, LibC.OWronly | LibC.ONonblock | LibC.OCloexec, 0);
        return fd < 0
            ? throw new ErrnoException("open", Marshal.GetLastPInvokeError(), path)
            : new SafeFileHandle(fd, ownsHandle: true);
    }
}
