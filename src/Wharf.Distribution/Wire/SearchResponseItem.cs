using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

internal sealed record SearchResponseItem
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("star_count")]
    public int StarCount { get; init; }

    [JsonPropertyName("is_official")]
    public bool IsOfficial { get; init; }

    [JsonPropertyName("is_automated")]
    public bool IsAutomated { get; init; }
}
