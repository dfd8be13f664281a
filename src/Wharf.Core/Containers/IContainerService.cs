using Wharf.Core.Filters;

namespace Wharf.Core.Containers;

/// <summary>
/// Container operations behind the API. Names resolve as Docker resolves them (full ID, name,
/// unique ID prefix); unknown ones fail with NotFound ("No such container: x").
/// </summary>
public interface IContainerService
{
    Task<(string Id, IReadOnlyList<string> Warnings)> CreateAsync(ContainerCreateSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a container; NotModified when it already runs.</summary>
    Task StartAsync(string name, CancellationToken cancellationToken);

    /// <summary>StopSignal, then SIGKILL after the timeout; NotModified when not running.</summary>
    Task StopAsync(string name, int? timeoutSeconds, string? signal, CancellationToken cancellationToken);

    Task RestartAsync(string name, int? timeoutSeconds, CancellationToken cancellationToken);

    Task KillAsync(string name, string? signal, CancellationToken cancellationToken);

    Task PauseAsync(string name, CancellationToken cancellationToken);

    Task UnpauseAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Registers a wait (condition not-running, next-exit or removed) before returning, so a
    /// caller can answer the HTTP headers first and await the result afterwards.
    /// </summary>
    Task<ContainerExit> RegisterWait(string name, string? condition, CancellationToken cancellationToken);

    Task RemoveAsync(string name, bool force, bool volumes, CancellationToken cancellationToken);

    Task RenameAsync(string name, string newName, CancellationToken cancellationToken);

    IReadOnlyList<ContainerRecord> List(bool all, int limit, FilterSet filters);

    ContainerRecord Inspect(string name);

    /// <summary>Where the container's files live (log, hostname, hosts, resolv.conf).</summary>
    ContainerPaths PathsOf(string id);

    long GetSizeRw(string id);

    /// <summary>Attaches to the container's stdio; before start it waits for the start.</summary>
    Task<Stream> AttachAsync(string name, AttachStreams streams, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attach session as dockerd does: an <c>attach</c> event once the client is
    /// attached (after any log replay), and a <c>detach</c> event when it leaves with its detach keys.
    /// </summary>
    void RecordAttach(string id, bool detached);

    Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken);

    IAsyncEnumerable<LogEntry> LogsAsync(string name, LogOptions options, CancellationToken cancellationToken);

    Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneAsync(FilterSet filters, CancellationToken cancellationToken);

    /// <summary>Containers using an image (for image removal conflicts).</summary>
    IReadOnlyList<ContainerRecord> UsingImage(Oci.Digest imageId);
}
