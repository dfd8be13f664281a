namespace Wharf.Core.Exec;

/// <summary>An exec instance as <c>GET /exec/{id}/json</c> shows it. ExitCode is null until it has run.</summary>
public sealed record ExecView
{
    public required string Id { get; init; }

    public required string ContainerId { get; init; }

    public required string Entrypoint { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public bool Tty { get; init; }

    public bool Privileged { get; init; }

    public string User { get; init; } = "";

    public bool OpenStdin { get; init; }

    public bool OpenStdout { get; init; }

    public bool OpenStderr { get; init; }

    public string DetachKeys { get; init; } = "";

    public bool Running { get; init; }

    public int? ExitCode { get; init; }

    public int Pid { get; init; }
}
