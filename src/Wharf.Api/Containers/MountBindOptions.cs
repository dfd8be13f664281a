using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Options of a bind mount; all omitempty.</summary>
public sealed record MountBindOptions
{
    [JsonPropertyName("Propagation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Propagation { get; init; }

    [JsonPropertyName("NonRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? NonRecursive { get; init; }

    [JsonPropertyName("CreateMountpoint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CreateMountpoint { get; init; }

    [JsonPropertyName("ReadOnlyNonRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReadOnlyNonRecursive { get; init; }

    [JsonPropertyName("ReadOnlyForceRecursive")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ReadOnlyForceRecursive { get; init; }
}
