using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

/// <summary>
/// What other engine parts (execs, health checks) learn about a container's life from
/// <see cref="ContainerService"/>. Calls come from the container's lifecycle paths: keep them short.
/// </summary>
public interface IContainerLifecycleObserver
{
    /// <summary>The container runs (after start, a restart, or a daemon restart that found it running).</summary>
    void ContainerStarted(ContainerRecord container);

    /// <summary>The container's init has exited; its runtime state is deleted right after this returns.</summary>
    Task ContainerExitedAsync(string id);

    /// <summary>The container is gone from the store.</summary>
    void ContainerRemoved(string id);
}
