using Wharf.Core.Containers;

namespace Wharf.Core.Exec;

/// <summary>
/// Processes run inside a running container (<c>docker exec</c>, health probes), each under its
/// own monitor so it outlives the daemon like the container does. An exec's runtime state goes
/// away with the container's (<see cref="IContainerRuntime.DeleteAsync"/>); its output never goes
/// into the container's log.
/// </summary>
public interface IExecRuntime
{
    /// <summary>
    /// Starts the monitor, attaches <paramref name="attach"/> (when not null) before the process
    /// runs, so no output is missed, then runs it. Fails with InvalidArgument carrying the runtime's
    /// message ("OCI runtime exec failed: ...") when the runtime refuses the process.
    /// </summary>
    Task<ExecStarted> StartExecAsync(string containerId, ExecProcessSpec spec, AttachStreams? attach, CancellationToken cancellationToken);

    /// <summary>How the exec ended; null while it runs (or when its state is gone).</summary>
    RuntimeExit? GetExecExit(string containerId, string execId);

    /// <summary>Completes when the exec process has exited.</summary>
    Task<RuntimeExit> WaitExecAsync(string containerId, string execId, CancellationToken cancellationToken);

    Task ResizeExecAsync(string containerId, string execId, int rows, int columns, CancellationToken cancellationToken);

    /// <summary>Signals the exec process through its monitor (never a recycled pid); a no-op once it has exited.</summary>
    Task KillExecAsync(string containerId, string execId, int signal, CancellationToken cancellationToken);

    /// <summary>Removes the exec's state once its monitor is gone (killing a monitor that lingers). Idempotent.</summary>
    Task DeleteExecAsync(string containerId, string execId, CancellationToken cancellationToken);
}
