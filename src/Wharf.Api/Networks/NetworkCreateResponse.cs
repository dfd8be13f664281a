using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>Answer of <c>POST /networks/create</c> (201).</summary>
public sealed record NetworkCreateResponse
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Warning")]
    public string Warning { get; init; } = "";
}
