using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Options of a tmpfs mount; all omitempty.</summary>
public sealed record MountTmpfsOptions
{
    [JsonPropertyName("SizeBytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeBytes { get; init; }

    /// <summary>Go's os.FileMode as a number (e.g. 1023 for 01777).</summary>
    [JsonPropertyName("Mode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Mode { get; init; }

    [JsonPropertyName("Options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<string>>? Options { get; init; }
}
