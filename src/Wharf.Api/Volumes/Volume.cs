using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>
/// A volume (<c>GET /volumes/{name}</c>, list entries, create response, <c>/system/df</c>).
/// Labels and Options are written as null when the volume has none; CreatedAt, Status and
/// UsageData are omitempty.
/// </summary>
public sealed record Volume
{
    [JsonPropertyName("CreatedAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; init; }

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "";

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("Mountpoint")]
    public string Mountpoint { get; init; } = "";

    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Options")]
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    [JsonPropertyName("Scope")]
    public string Scope { get; init; } = "";

    [JsonPropertyName("Status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Status { get; init; }

    /// <summary>Only in <c>/system/df</c>.</summary>
    [JsonPropertyName("UsageData")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VolumeUsageData? UsageData { get; init; }
}
