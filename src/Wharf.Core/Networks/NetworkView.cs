namespace Wharf.Core.Networks;

/// <summary>A network with the containers attached to it (network inspect).</summary>
public sealed record NetworkView(NetworkRecord Network, IReadOnlyList<NetworkContainer> Containers);
