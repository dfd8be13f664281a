namespace Wharf.Core.Containers;

/// <summary><c>POST /containers/{id}/update</c>: new resource limits and restart policy, applied now and kept.</summary>
public interface IContainerUpdateService
{
    /// <summary>
    /// Validates as Docker does (400 for bad values, 409 for conflicts with what the container
    /// already has), applies the limits to a running container, stores them in its HostConfig,
    /// and returns Docker's warnings (null when there are none, as dockerd writes).
    /// </summary>
    Task<IReadOnlyList<string>?> UpdateAsync(string name, ContainerUpdate update, CancellationToken cancellationToken);
}
