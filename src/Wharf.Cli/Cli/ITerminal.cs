namespace Wharf.Cli.Cli;

/// <summary>The local terminal as interactive commands (run -it, attach, start -ai) use it.</summary>
internal interface ITerminal
{
    /// <summary>
    /// The size of the terminal on stdout, which the docker CLI gives to containers; null when
    /// stdout is not a terminal.
    /// </summary>
    (uint Height, uint Width)? OutputSize { get; }

    /// <summary>Puts stdin into raw mode; disposing restores it. Null when stdin is not a terminal.</summary>
    IDisposable? MakeInputRaw();

    /// <summary>Calls <paramref name="onResize"/> whenever the window changes size (SIGWINCH) until disposed.</summary>
    IDisposable WatchResize(Action onResize);
}
