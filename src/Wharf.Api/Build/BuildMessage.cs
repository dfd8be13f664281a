using System.Text.Json.Serialization;

namespace Wharf.Api.Build;

/// <summary>One line of <c>POST /build</c>'s JSON stream, as the docker CLI reads it.</summary>
public sealed record BuildMessage
{
    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stream { get; init; }

    /// <summary>A progress message's action (the legacy builder's ADD download: "Downloading").</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonPropertyName("progressDetail")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Common.ProgressDetail? ProgressDetail { get; init; }

    /// <summary>The rendered bar the docker CLI prints ("[===>   ] 1.2MB/3MB").</summary>
    [JsonPropertyName("progress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Progress { get; init; }

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
