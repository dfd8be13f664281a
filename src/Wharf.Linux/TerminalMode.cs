namespace Wharf.Linux;

/// <summary>A terminal's saved mode; disposing puts it back (once, from any thread).</summary>
public sealed class TerminalMode : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _termios;
    private int _restored;

    internal TerminalMode(int fd, byte[] termios)
    {
        _fd = fd;
        _termios = termios;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0)
        {
            Terminal.Restore(_fd, _termios);
        }
    }
}
