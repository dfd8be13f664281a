using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>A network's IPAM section (also the create request's).</summary>
public sealed record Ipam
{
    [JsonPropertyName("Driver")]
    public string? Driver { get; init; } = "default";

    [JsonPropertyName("Options")]
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    [JsonPropertyName("Config")]
    public IReadOnlyList<IpamConfig>? Config { get; init; } = [];
}
