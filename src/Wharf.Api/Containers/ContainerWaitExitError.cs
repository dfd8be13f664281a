using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>The error of <c>POST /containers/{id}/wait</c> when waiting itself failed.</summary>
public sealed record ContainerWaitExitError
{
    [JsonPropertyName("Message")]
    public string Message { get; init; } = "";
}
