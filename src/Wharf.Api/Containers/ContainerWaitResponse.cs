using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>POST /containers/{id}/wait</c>; dockerd 20.10 writes <c>"Error": null</c>, not absent.</summary>
public sealed record ContainerWaitResponse
{
    [JsonPropertyName("Error")]
    public ContainerWaitExitError? Error { get; init; }

    [JsonPropertyName("StatusCode")]
    public long StatusCode { get; init; }
}
