using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary><c>GET /volumes</c>: Warnings is null when there are none.</summary>
public sealed record VolumeListResponse
{
    [JsonPropertyName("Volumes")]
    public IReadOnlyList<Volume>? Volumes { get; init; }

    [JsonPropertyName("Warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }
}
