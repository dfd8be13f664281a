using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>NetworkSettings</c> of container inspect, including the legacy top-level fields of the default network that API 1.41 still writes.</summary>
public sealed record NetworkSettings
{
    [JsonPropertyName("Bridge")]
    public string Bridge { get; init; } = "";

    [JsonPropertyName("SandboxID")]
    public string SandboxId { get; init; } = "";

    [JsonPropertyName("HairpinMode")]
    public bool HairpinMode { get; init; }

    [JsonPropertyName("LinkLocalIPv6Address")]
    public string LinkLocalIPv6Address { get; init; } = "";

    [JsonPropertyName("LinkLocalIPv6PrefixLen")]
    public int LinkLocalIPv6PrefixLen { get; init; }

    /// <summary>"80/tcp" to its bindings; null bindings mean exposed but not published.</summary>
    [JsonPropertyName("Ports")]
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? Ports { get; init; } = new Dictionary<string, IReadOnlyList<PortBinding>?>();

    [JsonPropertyName("SandboxKey")]
    public string SandboxKey { get; init; } = "";

    [JsonPropertyName("SecondaryIPAddresses")]
    public IReadOnlyList<NetworkAddress>? SecondaryIPAddresses { get; init; }

    [JsonPropertyName("SecondaryIPv6Addresses")]
    public IReadOnlyList<NetworkAddress>? SecondaryIPv6Addresses { get; init; }

    [JsonPropertyName("EndpointID")]
    public string EndpointId { get; init; } = "";

    [JsonPropertyName("Gateway")]
    public string Gateway { get; init; } = "";

    [JsonPropertyName("GlobalIPv6Address")]
    public string GlobalIPv6Address { get; init; } = "";

    [JsonPropertyName("GlobalIPv6PrefixLen")]
    public int GlobalIPv6PrefixLen { get; init; }

    [JsonPropertyName("IPAddress")]
    public string IpAddress { get; init; } = "";

    [JsonPropertyName("IPPrefixLen")]
    public int IpPrefixLen { get; init; }

    [JsonPropertyName("IPv6Gateway")]
    public string IPv6Gateway { get; init; } = "";

    [JsonPropertyName("MacAddress")]
    public string MacAddress { get; init; } = "";

    [JsonPropertyName("Networks")]
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}
