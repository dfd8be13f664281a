namespace Wharf.Core.Containers;

/// <summary>Changes the cgroup limits of a running container in place (<c>runc update</c>).</summary>
public interface IContainerResourceUpdater
{
    /// <summary>Fails with the runtime's message when the kernel refuses a value.</summary>
    Task UpdateResourcesAsync(string id, LiveResourceUpdate update, CancellationToken cancellationToken);
}
