using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>The volume driver and its options for a volume mount.</summary>
public sealed record MountDriverConfig
{
    [JsonPropertyName("Name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("Options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Options { get; init; }
}
