using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record ComponentVersion
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("Details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
