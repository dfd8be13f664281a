namespace Wharf.Core.Exec;

/// <summary>
/// What the runtime needs to run one exec in a container: the rest (capabilities, seccomp,
/// AppArmor, rlimits) is the container's own process, as Docker does.
/// </summary>
public sealed record ExecProcessSpec
{
    public required string ExecId { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>Docker's exec environment: the container's (PATH, HOSTNAME, TERM with a tty, Config.Env) then the exec's own.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>Empty: the container's working directory.</summary>
    public string WorkingDir { get; init; } = "";

    /// <summary>Empty: the container's user. Otherwise resolved in the container's /etc/passwd and /etc/group.</summary>
    public string User { get; init; } = "";

    /// <summary>The container's HostConfig.GroupAdd, added to a resolved user as Docker does.</summary>
    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    public bool Privileged { get; init; }

    public int ConsoleHeight { get; init; }

    public int ConsoleWidth { get; init; }
}
