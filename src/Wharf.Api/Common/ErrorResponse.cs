using System.Text.Json.Serialization;

namespace Wharf.Api.Common;

public sealed record ErrorResponse
{
    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}
