using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>One mount (<c>mounts[]</c>), applied by the runtime in list order.</summary>
public sealed record Mount
{
    [JsonPropertyName("destination")]
    public string Destination { get; init; } = "";

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("source")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    [JsonPropertyName("options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Options { get; init; }
}
