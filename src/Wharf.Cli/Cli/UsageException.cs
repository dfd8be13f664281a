namespace Wharf.Cli.Cli;

/// <summary>A command-line mistake. Docker prints the message, the usage line and a hint, then exits with
/// 125 (flag errors) or 1 (argument count and unknown commands).</summary>
internal sealed class UsageException(string message, int exitCode = 125) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
