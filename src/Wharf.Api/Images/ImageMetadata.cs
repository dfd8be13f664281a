using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record ImageMetadata
{
    [JsonPropertyName("LastTagTime")]
    public string? LastTagTime { get; init; }
}
