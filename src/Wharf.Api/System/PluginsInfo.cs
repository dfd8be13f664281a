using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record PluginsInfo
{
    [JsonPropertyName("Volume")]
    public IReadOnlyList<string> Volume { get; init; } = [];

    [JsonPropertyName("Network")]
    public IReadOnlyList<string> Network { get; init; } = [];

    [JsonPropertyName("Authorization")]
    public IReadOnlyList<string>? Authorization { get; init; }

    [JsonPropertyName("Log")]
    public IReadOnlyList<string> Log { get; init; } = [];
}
