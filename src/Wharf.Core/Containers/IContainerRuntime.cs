using Wharf.Core.Containers.Spec;

namespace Wharf.Core.Containers;

/// <summary>
/// The OCI runtime as the engine sees it: each container runs under its own monitor process
/// (wharf-shim) that outlives the daemon, holds stdio, writes the json-file log and records the
/// exit. Docker's two-step model: <see cref="CreateAsync"/> makes the container (process created,
/// not started), <see cref="StartAsync"/> starts it. Errors from runc surface as
/// WharfException with runc's message.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>Writes the bundle, starts the monitor, runs <c>runc create</c>. Returns the init pid.</summary>
    Task<int> CreateAsync(ContainerSpecRequest spec, RuntimeIo io, CancellationToken cancellationToken);

    Task StartAsync(string id, CancellationToken cancellationToken);

    /// <summary>Sends a signal to the container's init (or all its processes).</summary>
    Task KillAsync(string id, int signal, bool all, CancellationToken cancellationToken);

    Task PauseAsync(string id, CancellationToken cancellationToken);

    Task ResumeAsync(string id, CancellationToken cancellationToken);

    /// <summary>What the monitor knows now; null when the runtime has no such container.</summary>
    RuntimeStatus? GetStatus(string id);

    /// <summary>Completes when the container's init has exited (immediately if it already has).</summary>
    Task<RuntimeExit> WaitAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Connects to the monitor's attach socket. Output arrives in Docker's multiplexed framing
    /// without a tty and raw with one; bytes written go to the container's stdin. Returns once
    /// the monitor acknowledged, so output produced after that is not missed.
    /// </summary>
    Task<Stream> AttachAsync(string id, AttachStreams streams, CancellationToken cancellationToken);

    Task ResizeAsync(string id, int rows, int columns, CancellationToken cancellationToken);

    /// <summary><c>runc delete -f</c>, stops the monitor if alive, removes bundle and state. Idempotent.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>IDs the runtime holds state for (to reconcile after a daemon restart).</summary>
    IReadOnlyList<string> List();
}
