using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("os")]
    public string Os { get; init; } = "";

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }
}
