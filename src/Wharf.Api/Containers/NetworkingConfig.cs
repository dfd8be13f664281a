using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>NetworkingConfig</c> of a create request: the endpoint settings per network name.</summary>
public sealed record NetworkingConfig
{
    [JsonPropertyName("EndpointsConfig")]
    public IReadOnlyDictionary<string, EndpointSettings>? EndpointsConfig { get; init; }
}
