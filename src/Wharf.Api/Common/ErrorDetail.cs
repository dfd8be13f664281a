using System.Text.Json.Serialization;

namespace Wharf.Api.Common;

public sealed record ErrorDetail
{
    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}
