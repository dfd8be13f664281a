using System.Text.Json.Serialization;
using Wharf.Api.Containers;

namespace Wharf.Api.Networks;

/// <summary>Body of <c>POST /networks/{id}/connect</c> and <c>/disconnect</c> (Force only for disconnect).</summary>
public sealed record NetworkConnectRequest
{
    [JsonPropertyName("Container")]
    public string? Container { get; init; }

    [JsonPropertyName("EndpointConfig")]
    public EndpointSettings? EndpointConfig { get; init; }

    [JsonPropertyName("Force")]
    public bool Force { get; init; }
}
