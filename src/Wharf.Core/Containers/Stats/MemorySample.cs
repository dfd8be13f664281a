namespace Wharf.Core.Containers.Stats;

/// <summary>
/// Memory counters as Docker reports them: zero means "not known" and is left out on the wire.
/// <see cref="Stats"/> holds the v1 counters (cache, rss, total_*...) or the v2 ones (anon, file...).
/// </summary>
public sealed record MemorySample
{
    public ulong Usage { get; init; }

    /// <summary>Peak usage; cgroup v1 only.</summary>
    public ulong MaxUsage { get; init; }

    /// <summary>v1 memory.failcnt; on v2 the oom count of memory.events.</summary>
    public ulong Failcnt { get; init; }

    /// <summary>The cgroup's limit, or the machine's memory when that is smaller (no limit set).</summary>
    public ulong Limit { get; init; }

    public IReadOnlyDictionary<string, ulong> Stats { get; init; } = new Dictionary<string, ulong>();
}
