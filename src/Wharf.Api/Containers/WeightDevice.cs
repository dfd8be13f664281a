using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A per-device blkio weight.</summary>
public sealed record WeightDevice
{
    [JsonPropertyName("Path")]
    public string Path { get; init; } = "";

    [JsonPropertyName("Weight")]
    public ushort Weight { get; init; }
}
