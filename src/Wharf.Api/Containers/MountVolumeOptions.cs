using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Options of a volume mount; all omitempty.</summary>
public sealed record MountVolumeOptions
{
    [JsonPropertyName("NoCopy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? NoCopy { get; init; }

    [JsonPropertyName("Labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("DriverConfig")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountDriverConfig? DriverConfig { get; init; }

    [JsonPropertyName("Subpath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subpath { get; init; }
}
