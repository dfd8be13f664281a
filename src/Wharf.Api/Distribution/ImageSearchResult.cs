using System.Text.Json.Serialization;

namespace Wharf.Api.Distribution;

/// <summary>One row of <c>GET /images/search</c>.</summary>
public sealed record ImageSearchResult
{
    [JsonPropertyName("star_count")]
    public int StarCount { get; init; }

    [JsonPropertyName("is_official")]
    public bool IsOfficial { get; init; }

    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("is_automated")]
    public bool IsAutomated { get; init; }

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";
}
