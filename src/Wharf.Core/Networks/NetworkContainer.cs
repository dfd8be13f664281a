namespace Wharf.Core.Networks;

/// <summary>A running container's endpoint on a network, as network inspect lists it.</summary>
public sealed record NetworkContainer(string ContainerId, string Name, string EndpointId, string MacAddress, string IPv4Address);
