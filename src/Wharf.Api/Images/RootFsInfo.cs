using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record RootFsInfo
{
    [JsonPropertyName("Type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; } = [];
}
