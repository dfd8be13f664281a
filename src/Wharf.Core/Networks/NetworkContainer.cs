namespace Wharf.Core.Networks;

/// <summary>A running container's endpoint on a network, as network inspect lists it.</summary>
public sealed record NetworkContainer(string ContainerId, string Name, string EndpointId, string MacAddress, string IPv4Address)
{
    /// <summary>The other names the container answers to on the network (its aliases and, on user-defined networks, its short ID).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
