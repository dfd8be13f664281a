using System.Text.Json.Serialization;

namespace Wharf.Api.Build;

/// <summary>A build's <c>errorDetail</c>: a failed RUN carries its exit code.</summary>
public sealed record BuildErrorDetail
{
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string Message { get; init; } = "";
}
