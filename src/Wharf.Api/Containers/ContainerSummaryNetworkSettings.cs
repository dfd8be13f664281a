using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>NetworkSettings</c> of a container list entry.</summary>
public sealed record ContainerSummaryNetworkSettings
{
    [JsonPropertyName("Networks")]
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }
}
