using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record GraphDriverData
{
    [JsonPropertyName("Data")]
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";
}
