using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>pids_stats</c>; both omitted when unknown (stopped container).</summary>
public sealed record PidsStats
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Current { get; init; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Limit { get; init; }
}
