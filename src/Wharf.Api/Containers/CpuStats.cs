using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>cpu_stats</c> / <c>precpu_stats</c>; system usage and CPU count are omitted for a stopped container.</summary>
public sealed record CpuStats
{
    [JsonPropertyName("cpu_usage")]
    public CpuUsage CpuUsage { get; init; } = new();

    [JsonPropertyName("system_cpu_usage")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? SystemCpuUsage { get; init; }

    [JsonPropertyName("online_cpus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? OnlineCpus { get; init; }

    [JsonPropertyName("throttling_data")]
    public ThrottlingData ThrottlingData { get; init; } = new();
}
