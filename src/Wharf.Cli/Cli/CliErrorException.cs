namespace Wharf.Cli.Cli;

/// <summary>An error the CLI reports as-is on stderr, with an exit status (docker's cli.StatusError).</summary>
internal sealed class CliErrorException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
