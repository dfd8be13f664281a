using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>A container's endpoint in network inspect's <c>Containers</c> map.</summary>
public sealed record NetworkContainer
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("EndpointID")]
    public string EndpointId { get; init; } = "";

    [JsonPropertyName("MacAddress")]
    public string MacAddress { get; init; } = "";

    [JsonPropertyName("IPv4Address")]
    public string IPv4Address { get; init; } = "";

    [JsonPropertyName("IPv6Address")]
    public string IPv6Address { get; init; } = "";
}
