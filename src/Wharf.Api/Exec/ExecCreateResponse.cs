using System.Text.Json.Serialization;

namespace Wharf.Api.Exec;

/// <summary>Answer of <c>POST /containers/{id}/exec</c> (201): Docker's IdResponse.</summary>
public sealed record ExecCreateResponse
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";
}
