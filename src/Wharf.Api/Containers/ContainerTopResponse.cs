using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>GET /containers/{id}/top</c>: ps output split into columns.</summary>
public sealed record ContainerTopResponse
{
    [JsonPropertyName("Processes")]
    public IReadOnlyList<IReadOnlyList<string>>? Processes { get; init; } = [];

    [JsonPropertyName("Titles")]
    public IReadOnlyList<string>? Titles { get; init; } = [];
}
