using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A container's settings on one network (create request, inspect and list).</summary>
public sealed record EndpointSettings
{
    [JsonPropertyName("IPAMConfig")]
    public EndpointIpamConfig? IpamConfig { get; init; }

    [JsonPropertyName("Links")]
    public IReadOnlyList<string>? Links { get; init; }

    [JsonPropertyName("Aliases")]
    public IReadOnlyList<string>? Aliases { get; init; }

    [JsonPropertyName("NetworkID")]
    public string NetworkId { get; init; } = "";

    [JsonPropertyName("EndpointID")]
    public string EndpointId { get; init; } = "";

    [JsonPropertyName("Gateway")]
    public string Gateway { get; init; } = "";

    [JsonPropertyName("IPAddress")]
    public string IpAddress { get; init; } = "";

    [JsonPropertyName("IPPrefixLen")]
    public int IpPrefixLen { get; init; }

    [JsonPropertyName("IPv6Gateway")]
    public string IPv6Gateway { get; init; } = "";

    [JsonPropertyName("GlobalIPv6Address")]
    public string GlobalIPv6Address { get; init; } = "";

    [JsonPropertyName("GlobalIPv6PrefixLen")]
    public int GlobalIPv6PrefixLen { get; init; }

    [JsonPropertyName("MacAddress")]
    public string MacAddress { get; init; } = "";

    [JsonPropertyName("DriverOpts")]
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }

    /// <summary>API 1.44+; absent from 1.41 (dockerd 20.10) responses.</summary>
    [JsonPropertyName("DNSNames")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DnsNames { get; init; }
}
