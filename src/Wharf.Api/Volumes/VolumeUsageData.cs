using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>Size in bytes (-1 when not measured) and the number of containers referencing the volume.</summary>
public sealed record VolumeUsageData
{
    [JsonPropertyName("RefCount")]
    public long RefCount { get; init; }

    [JsonPropertyName("Size")]
    public long Size { get; init; }
}
