using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

internal sealed record SearchResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("star_count")] int StarCount,
    [property: JsonPropertyName("is_official")] bool IsOfficial,
    [property: JsonPropertyName("is_automated")] bool IsAutomated);
