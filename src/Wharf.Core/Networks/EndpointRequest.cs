namespace Wharf.Core.Networks;

/// <summary>What a container asks of one network (NetworkingConfig.EndpointsConfig entry, or a connect body).</summary>
public sealed record EndpointRequest
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A static address (<c>--ip</c>); empty lets IPAM pick.</summary>
    public string IPv4Address { get; init; } = "";

    /// <summary>A fixed MAC (<c>--mac-address</c>); empty derives one from the address, as Docker does.</summary>
    public string MacAddress { get; init; } = "";

    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }
}
