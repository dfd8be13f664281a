using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;

namespace Wharf.Engine.Containers.Files;

/// <summary>An open container root file system and whatever must be undone when done with it.</summary>
internal sealed class RootfsLease(ContainerRecord record, IContainerRoot root, bool running, Func<Task>? release) : IAsyncDisposable
{
    private Func<Task>? _release = release;

    public ContainerRecord Record { get; } = record;

    public IContainerRoot Root { get; } = root;

    /// <summary>Whether the container ran when the lease was taken.</summary>
    public bool Running { get; } = running;

    public async ValueTask DisposeAsync()
    {
        Root.Dispose();
        if (Interlocked.Exchange(ref _release, null) is { } r)
        {
            await r().ConfigureAwait(false);
        }
    }
}
