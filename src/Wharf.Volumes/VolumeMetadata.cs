using System.Text.Json.Serialization;

namespace Wharf.Volumes;

/// <summary>What a volume directory's <c>volume.json</c> holds; written once, before the directory becomes visible.</summary>
internal sealed record VolumeMetadata
{
    [JsonPropertyName("Name")]
    public required string Name { get; init; }

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "local";

    [JsonPropertyName("CreatedAt")]
    public required DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("Labels")]
    public Dictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("Options")]
    public Dictionary<string, string>? Options { get; init; }
}
