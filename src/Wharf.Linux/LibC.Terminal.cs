using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>Terminal calls (termios, window size) for the CLI's interactive sessions.</summary>
internal static unsafe partial class LibC
{
    /// <summary>TIOCGWINSZ on the generic Linux ioctl numbering (x86, arm, arm64, riscv).</summary>
    public const nuint TiocGWinSz = 0x5413;

    public const int TcsaNow = 0;

    [LibraryImport(Lib, EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport(Lib, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport(Lib, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int optionalActions, byte* termios);

    // libc knows struct termios' layout; we only carry it as opaque bytes.
    [LibraryImport(Lib, EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(byte* termios);

    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);
}
