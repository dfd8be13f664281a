using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One entry of <c>HostConfig.Mounts</c> (<c>--mount</c>). Every field is omitempty in Docker.</summary>
public sealed record Mount
{
    [JsonPropertyName("Target")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }

    [JsonPropertyName("Source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>bind, volume, tmpfs, npipe, cluster, image.</summary>
    [JsonPropertyName("Type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("ReadOnly")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReadOnly { get; init; }

    [JsonPropertyName("Consistency")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Consistency { get; init; }

    [JsonPropertyName("BindOptions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountBindOptions? BindOptions { get; init; }

    [JsonPropertyName("VolumeOptions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountVolumeOptions? VolumeOptions { get; init; }

    [JsonPropertyName("TmpfsOptions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountTmpfsOptions? TmpfsOptions { get; init; }
}
