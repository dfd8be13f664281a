using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string> DiffIds { get; init; } = [];
}
