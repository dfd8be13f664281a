namespace Wharf.Core.Exec;

/// <summary>
/// Docker's exec instances: created against a running container, started once, inspectable until
/// the container is removed. Unknown IDs fail with NotFound ("No such exec instance: x").
/// </summary>
public interface IExecService
{
    /// <summary>Conflict when the container is not running or is paused.</summary>
    string Create(string container, ExecCreateSpec spec);

    /// <summary>
    /// Runs the exec. Detached: returns null once the process runs. Attached: returns the process's
    /// stdio (multiplexed without a tty, raw with one), connected before the process started.
    /// Conflict when it already ran; InvalidArgument with the runtime's message when it cannot run
    /// (the exit code is then 126 or 127, as Docker sets it).
    /// </summary>
    Task<Stream?> StartAsync(string execId, bool detach, int consoleHeight, int consoleWidth, CancellationToken cancellationToken);

    ExecView Inspect(string execId);

    /// <summary>Waits (up to Docker's 10 s) for the exec to have started, then resizes its tty; nothing without a tty.</summary>
    Task ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken);

    /// <summary>Completes when a started exec has exited and its exit code is recorded.</summary>
    Task WaitExitAsync(string execId, CancellationToken cancellationToken);

    /// <summary>The client left a tty session with the detach keys; the process keeps running (an <c>exec_detach</c> event).</summary>
    void Detached(string execId);

    /// <summary>IDs of the container's running execs (<c>ExecIDs</c> of container inspect); empty when none.</summary>
    IReadOnlyList<string> RunningIds(string containerId);
}
