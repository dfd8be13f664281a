using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One entry of <c>GET /containers/{id}/changes</c> (the whole answer is <c>null</c> when nothing changed).</summary>
public sealed record ContainerChange
{
    [JsonPropertyName("Path")]
    public string Path { get; init; } = "";

    /// <summary>0 modified, 1 added, 2 deleted.</summary>
    [JsonPropertyName("Kind")]
    public int Kind { get; init; }
}
