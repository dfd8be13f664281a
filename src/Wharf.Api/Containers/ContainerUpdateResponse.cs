using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>POST /containers/{id}/update</c>; dockerd 20.10 writes <c>Warnings: null</c>.</summary>
public sealed record ContainerUpdateResponse
{
    [JsonPropertyName("Warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }
}
