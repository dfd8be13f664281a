using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>HostConfig.LogConfig</c>; dockerd writes <c>Config</c> as <c>{}</c> when there are no options.</summary>
public sealed record LogConfig
{
    [JsonPropertyName("Type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("Config")]
    public IReadOnlyDictionary<string, string>? Config { get; init; } = new Dictionary<string, string>();
}
