using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>POST /containers/create</c> (201). dockerd 20.10 writes <c>Warnings: []</c> when there are none.</summary>
public sealed record ContainerCreateResponse
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Warnings")]
    public IReadOnlyList<string>? Warnings { get; init; } = [];
}
