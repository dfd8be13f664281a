namespace Wharf.Cli.Cli;

/// <summary>Flags given before the command.</summary>
internal sealed record GlobalOptions(string? Host, string? LogLevel, bool Debug, string? ConfigDir, string? Context)
{
    public static readonly IReadOnlyList<FlagSpec> Specs =
    [
        FlagSpec.String("config", null, "Location of client config files", defaultValue: "/root/.docker"),
        FlagSpec.String("context", 'c', "Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with \"docker context use\")"),
        FlagSpec.Bool("debug", 'D', "Enable debug mode"),
        FlagSpec.List("host", 'H', "Daemon socket to connect to"),
        FlagSpec.String("log-level", 'l', "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")", defaultValue: "info"),
        FlagSpec.Bool("tls", null, "Use TLS; implied by --tlsverify"),
        FlagSpec.String("tlscacert", null, "Trust certs signed only by this CA"),
        FlagSpec.String("tlscert", null, "Path to TLS certificate file"),
        FlagSpec.String("tlskey", null, "Path to TLS key file"),
        FlagSpec.Bool("tlsverify", null, "Use TLS and verify the remote"),
        FlagSpec.Bool("version", 'v', "Print version information and quit"),
    ];
}
