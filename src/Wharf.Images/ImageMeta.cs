using System.Text.Json.Serialization;

namespace Wharf.Images;

/// <summary>What the store records about an image beyond its config blob.</summary>
internal sealed record ImageMeta
{
    [JsonPropertyName("parent")]
    public string? Parent { get; init; }

    [JsonPropertyName("added")]
    public DateTimeOffset Added { get; init; }

    [JsonPropertyName("lastTagTime")]
    public DateTimeOffset? LastTagTime { get; init; }
}
