using Wharf.Oci.Image;

namespace Wharf.Core.Containers;

/// <summary>A validated create request: the container's Config, the HostConfig parts the engine uses, and the HostConfig as sent.</summary>
public sealed record ContainerCreateSpec
{
    public string? Name { get; init; }

    public required ContainerConfig Config { get; init; }

    public required ContainerHostSettings Host { get; init; }

    public string HostConfigJson { get; init; } = "{}";

    /// <summary>NetworkingConfig.EndpointsConfig: what the container asks of each network, by network name or ID.</summary>
    public IReadOnlyDictionary<string, Networks.EndpointRequest> Networks { get; init; } = new Dictionary<string, Networks.EndpointRequest>();
}
