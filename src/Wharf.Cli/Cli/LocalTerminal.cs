using System.Runtime.InteropServices;
using Wharf.Linux;

namespace Wharf.Cli.Cli;

/// <summary>The process's own terminal: fd 0 and 1, termios through Wharf.Linux, SIGWINCH.</summary>
internal sealed class LocalTerminal : ITerminal
{
    public static LocalTerminal Instance { get; } = new();

    private LocalTerminal()
    {
    }

    /// <summary>A terminal that reports 0x0 (a pty nobody sized) counts as unknown, as in the docker CLI.</summary>
    public (uint Height, uint Width)? OutputSize =>
        Terminal.IsTerminal(1) && Terminal.GetWindowSize(1) is { } size && (size.Rows > 0 || size.Columns > 0) ? (size.Rows, size.Columns) : null;

    public IDisposable? MakeInputRaw()
    {
        if (!Terminal.IsTerminal(0))
        {
            return null;
        }

        try
        {
            return Terminal.MakeRaw(0);
        }
        catch (ErrnoException)
        {
            return null;
        }
    }

    public IDisposable WatchResize(Action onResize) => PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => onResize());

    /// <summary>
    /// Stdin as plain bytes. On a terminal this is fd 0 itself, not Console's stream: .NET reads a
    /// terminal through its own line editor, which echoes what is typed (a second echo next to the
    /// container's) and changes the terminal mode around every read.
    /// </summary>
    public static Stream OpenStandardInput() => Console.IsInputRedirected
        ? Console.OpenStandardInput()
        : new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    /// <summary>
    /// Stdout as plain bytes, written through at once. On a terminal this is fd 1 itself: the
    /// first write through Console's stream sends the terminal's keypad-transmit sequence.
    /// </summary>
    public static Stream OpenStandardOutput() => Console.IsOutputRedirected
        ? Console.OpenStandardOutput()
        : new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);

    /// <summary>Stderr, as <see cref="OpenStandardOutput"/>.</summary>
    public static Stream OpenStandardError() => Console.IsErrorRedirected
        ? Console.OpenStandardError()
        : new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(2, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
