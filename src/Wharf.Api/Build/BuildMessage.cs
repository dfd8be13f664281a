using System.Text.Json.Serialization;

namespace Wharf.Api.Build;

/// <summary>One line of <c>POST /build</c>'s JSON stream, as the docker CLI reads it.</summary>
public sealed record BuildMessage
{
    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stream { get; init; }

    [JsonPropertyName("aux")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BuildResult? Aux { get; init; }

    [JsonPropertyName("errorDetail")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BuildErrorDetail? ErrorDetail { get; init; }

    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
