using Wharf.Core.Containers.Files;

namespace Wharf.Engine.Containers.Files;

/// <summary>An <see cref="IArchiveSource"/> over a lease: writing uses it, disposing ends it.</summary>
internal sealed class ArchiveSource(RootfsLease lease, ContainerPathStat? stat, Func<IContainerRoot, Stream, CancellationToken, Task> write) : IArchiveSource
{
    public ContainerPathStat? Stat { get; } = stat;

    public Task WriteToAsync(Stream output, CancellationToken cancellationToken) => write(lease.Root, output, cancellationToken);

    public ValueTask DisposeAsync() => lease.DisposeAsync();
}
