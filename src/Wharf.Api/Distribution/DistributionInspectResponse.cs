using System.Text.Json.Serialization;
using Wharf.Oci.Image;

namespace Wharf.Api.Distribution;

/// <summary>The answer of <c>GET /distribution/{name}/json</c>.</summary>
public sealed record DistributionInspectResponse
{
    [JsonPropertyName("Descriptor")]
    public Descriptor Descriptor { get; init; } = new();

    [JsonPropertyName("Platforms")]
    public IReadOnlyList<Platform> Platforms { get; init; } = [];
}
