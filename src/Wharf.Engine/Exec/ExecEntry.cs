using Wharf.Core.Exec;

namespace Wharf.Engine.Exec;

/// <summary>One exec instance in memory (Docker keeps execs in memory too: a daemon restart forgets them).</summary>
internal sealed class ExecEntry(string id, string containerId, ExecCreateSpec spec, bool probe)
{
    public string Id { get; } = id;

    public string ContainerId { get; } = containerId;

    /// <summary>User and WorkingDir already defaulted from the container's Config.</summary>
    public ExecCreateSpec Spec { get; } = spec;

    /// <summary>Health probes are execs too, but not listed in the container's ExecIDs.</summary>
    public bool Probe { get; } = probe;

    public Lock Sync { get; } = new();

    public bool StartRequested { get; set; }

    public bool Running { get; set; }

    public int Pid { get; set; }

    public int? ExitCode { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string CommandText => string.Join(' ', Spec.Cmd);
}
