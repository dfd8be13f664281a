using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Static addresses requested for an endpoint; all omitempty.</summary>
public sealed record EndpointIpamConfig
{
    [JsonPropertyName("IPv4Address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv4Address { get; init; }

    [JsonPropertyName("IPv6Address")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IPv6Address { get; init; }

    [JsonPropertyName("LinkLocalIPs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? LinkLocalIps { get; init; }
}
