using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Docker's IdResponse, the answer of <c>POST /commit</c> (201).</summary>
public sealed record IdResponse
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";
}
