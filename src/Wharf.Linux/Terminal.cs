using System.Runtime.InteropServices;

namespace Wharf.Linux;

/// <summary>The few terminal operations an interactive client needs: is it a tty, its size, raw mode.</summary>
public static unsafe class Terminal
{
    /// <summary>Room for struct termios (60 bytes on glibc and musl, x86-64 and arm64) with margin.</summary>
    internal const int TermiosBufferSize = 256;

    public static bool IsTerminal(int fd) => LibC.IsATty(fd) == 1;

    /// <summary>The window size of the terminal on <paramref name="fd"/>; null when it is not a terminal.</summary>
    public static (ushort Rows, ushort Columns)? GetWindowSize(int fd)
    {
        // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
        ushort* ws = stackalloc ushort[4];
        return LibC.Ioctl(fd, LibC.TiocGWinSz, ws) == 0 ? (ws[0], ws[1]) : null;
    }

    /// <summary>
    /// Puts the terminal on <paramref name="fd"/> into raw mode (cfmakeraw: no echo, no line
    /// editing, no signal keys, no output processing) and returns the previous mode, which
    /// <see cref="TerminalMode.Dispose"/> restores.
    /// </summary>
    public static TerminalMode MakeRaw(int fd)
    {
        var saved = new byte[TermiosBufferSize];
        var raw = new byte[TermiosBufferSize];
        fixed (byte* s = saved)
        fixed (byte* r = raw)
        {
            if (LibC.TcGetAttr(fd, s) != 0)
            {
                throw new ErrnoException("tcgetattr", Marshal.GetLastPInvokeError(), null);
            }

            saved.CopyTo(raw, 0);
            LibC.CfMakeRaw(r);
            if (LibC.TcSetAttr(fd, LibC.TcsaNow, r) != 0)
            {
                throw new ErrnoException("tcsetattr", Marshal.GetLastPInvokeError(), null);
            }
        }

        return new TerminalMode(fd, saved);
    }

    internal static void Restore(int fd, byte[] termios)
    {
        fixed (byte* t = termios)
        {
            // Best effort: the terminal may be gone (hang-up) by the time we restore it.
            _ = LibC.TcSetAttr(fd, LibC.TcsaNow, t);
        }
    }
}
