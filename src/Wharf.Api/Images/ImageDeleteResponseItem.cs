using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record ImageDeleteResponseItem
{
    [JsonPropertyName("Untagged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; init; }

    [JsonPropertyName("Deleted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; init; }
}
