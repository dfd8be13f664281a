using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

/// <summary>In-memory coordination for one container: its lifecycle lock, waiters and pending attaches.</summary>
internal sealed class LiveContainer
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Completes at the next exit of the current (or next) run.</summary>
    public TaskCompletionSource<ContainerExit> NextExit { get; set; } = NewExit();

    public TaskCompletionSource<ContainerExit> Removed { get; } = NewExit();

    /// <summary>Attaches made before start: connected by StartAsync before the process runs.</summary>
    public List<(AttachStreams Streams, TaskCompletionSource<Stream> Result)> PendingAttaches { get; } = [];

    public static TaskCompletionSource<ContainerExit> NewExit() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
