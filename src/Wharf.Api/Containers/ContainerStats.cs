using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One sample of <c>GET /containers/{id}/stats</c> (snake_case, unlike the rest of the API). <c>networks</c> is absent when the container has no network interface (NetworkMode none).</summary>
public sealed record ContainerStats
{
    [JsonPropertyName("read")]
    public string Read { get; init; } = ContainerTimes.Zero;

    [JsonPropertyName("preread")]
    public string Preread { get; init; } = ContainerTimes.Zero;

    [JsonPropertyName("pids_stats")]
    public PidsStats PidsStats { get; init; } = new();

    [JsonPropertyName("blkio_stats")]
    public BlkioStats BlkioStats { get; init; } = new();

    [JsonPropertyName("num_procs")]
    public uint NumProcs { get; init; }

    [JsonPropertyName("storage_stats")]
    public StorageStats StorageStats { get; init; } = new();

    [JsonPropertyName("cpu_stats")]
    public CpuStats CpuStats { get; init; } = new();

    [JsonPropertyName("precpu_stats")]
    public CpuStats PreCpuStats { get; init; } = new();

    [JsonPropertyName("memory_stats")]
    public MemoryStats MemoryStats { get; init; } = new();

    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("networks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, NetworkStats>? Networks { get; init; }
}
