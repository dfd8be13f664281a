namespace Wharf.Core.Networks;

/// <summary>
/// A container's membership of one network, kept with the container. The request part lives as
/// long as the membership; the runtime part (address, endpoint, interfaces) only while the
/// container runs, as in Docker's inspect.
/// </summary>
public sealed record ContainerEndpoint
{
    public required EndpointRequest Request { get; init; }

    public string NetworkId { get; init; } = "";

    public string EndpointId { get; init; } = "";

    /// <summary>Names the container answers to on this network while it runs: the requested aliases, plus its short ID on user-defined networks.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string IPAddress { get; init; } = "";

    public int IPPrefixLen { get; init; }

    public string Gateway { get; init; } = "";

    public string MacAddress { get; init; } = "";

    /// <summary>Host side of the veth pair ("" for host and none).</summary>
    public string HostInterface { get; init; } = "";

    /// <summary>Name inside the container (eth0, eth1, ...).</summary>
    public string ContainerInterface { get; init; } = "";

    [global::System.Text.Json.Serialization.JsonIgnore]
    public bool Active => EndpointId.Length > 0;

    public ContainerEndpoint Deactivated() => new() { Request = Request };
}
