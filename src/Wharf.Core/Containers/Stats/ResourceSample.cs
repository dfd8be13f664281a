namespace Wharf.Core.Containers.Stats;

/// <summary>
/// One reading of a running container's cgroup counters, already in Docker's terms: CPU and
/// throttling in nanoseconds, memory in bytes with the limit clamped to the machine's memory, the
/// host's CPU time next to it (for CPU %), and the container's own network interfaces.
/// </summary>
public sealed record ResourceSample
{
    public required DateTimeOffset Read { get; init; }

    public CpuSample Cpu { get; init; } = new();

    public MemorySample Memory { get; init; } = new();

    public PidsSample Pids { get; init; } = new();

    public BlkioSample Blkio { get; init; } = new();

    /// <summary>Interfaces of the container's network namespace except <c>lo</c>; null when Docker shows none (host, none).</summary>
    public IReadOnlyDictionary<string, NetworkSample>? Networks { get; init; }
}
