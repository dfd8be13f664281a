using System.Text.Json.Serialization;

namespace Wharf.Api.Events;

public sealed record EventActor
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Attributes")]
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
