using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>HostConfig</c> of a container list entry.</summary>
public sealed record ContainerSummaryHostConfig
{
    [JsonPropertyName("NetworkMode")]
    public string NetworkMode { get; init; } = "";

    [JsonPropertyName("Annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
