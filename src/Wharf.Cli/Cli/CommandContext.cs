using Wharf.Client;

namespace Wharf.Cli.Cli;

/// <summary>What commands use from the outside world: console streams, the daemon client, the clock.</summary>
internal sealed class CommandContext : IDisposable
{
    private readonly Func<WharfClient> _clientFactory;
    private WharfClient? _client;

    public CommandContext(TextWriter output, TextWriter error, Func<WharfClient> clientFactory, TimeProvider time)
    {
        Out = output;
        Err = error;
        _clientFactory = clientFactory;
        Time = time;
    }

    public TextWriter Out { get; }

    public TextWriter Err { get; }

    public TimeProvider Time { get; }

    public string ProgramName { get; init; } = "wharf";

    public Func<Stream> OpenStandardInput { get; init; } = LocalTerminal.OpenStandardInput;

    public Func<Stream> OpenStandardOutput { get; init; } = LocalTerminal.OpenStandardOutput;

    public bool IsStdinTerminal { get; init; } = !Console.IsInputRedirected;

    public bool IsStdoutTerminal { get; init; } = !Console.IsOutputRedirected;

    public Func<string?> ReadLine { get; init; } = Console.ReadLine;

    /// <summary>The terminal interactive sessions drive (raw mode, size, resize signals).</summary>
    public ITerminal Terminal { get; init; } = LocalTerminal.Instance;

    /// <summary>The client for the daemon, created on first use.</summary>
    public WharfClient Client => _client ??= _clientFactory();

    public void Dispose() => _client?.Dispose();
}
