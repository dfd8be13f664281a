namespace Wharf.Core.Exec;

/// <summary>A validated <c>POST /containers/{id}/exec</c>.</summary>
public sealed record ExecCreateSpec
{
    public required IReadOnlyList<string> Cmd { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDir { get; init; } = "";

    public string User { get; init; } = "";

    public bool Tty { get; init; }

    public bool AttachStdin { get; init; }

    public bool AttachStdout { get; init; }

    public bool AttachStderr { get; init; }

    public bool Privileged { get; init; }

    public string DetachKeys { get; init; } = "";

    public int ConsoleHeight { get; init; }

    public int ConsoleWidth { get; init; }
}
