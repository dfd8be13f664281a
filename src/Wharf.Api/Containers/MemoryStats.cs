using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>memory_stats</c>: cgroup v1 has usage, max_usage, v1 counters in stats (cache, rss, total_*...) and limit; cgroup v2 has usage, v2 counters (anon, file, ...) and limit; <c>{}</c> when stopped.</summary>
public sealed record MemoryStats
{
    [JsonPropertyName("usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Usage { get; init; }

    [JsonPropertyName("max_usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxUsage { get; init; }

    [JsonPropertyName("stats")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, ulong>? Stats { get; init; }

    [JsonPropertyName("failcnt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Failcnt { get; init; }

    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Limit { get; init; }

    [JsonPropertyName("commitbytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Commitbytes { get; init; }

    [JsonPropertyName("commitpeakbytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Commitpeakbytes { get; init; }

    [JsonPropertyName("privateworkingset")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Privateworkingset { get; init; }
}
