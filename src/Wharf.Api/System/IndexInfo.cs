using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record IndexInfo
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Mirrors")]
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    [JsonPropertyName("Secure")]
    public bool Secure { get; init; }

    [JsonPropertyName("Official")]
    public bool Official { get; init; }
}
