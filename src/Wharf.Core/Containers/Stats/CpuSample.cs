namespace Wharf.Core.Containers.Stats;

/// <summary>
/// CPU time of a container and, taken at the same moment, of the whole host. All times are
/// nanoseconds. <see cref="PerCpu"/> exists only on cgroup v1.
/// </summary>
public sealed record CpuSample
{
    public ulong TotalUsage { get; init; }

    public IReadOnlyList<ulong>? PerCpu { get; init; }

    public ulong KernelMode { get; init; }

    public ulong UserMode { get; init; }

    /// <summary>Busy plus idle time of all host CPUs (/proc/stat), the denominator of CPU %.</summary>
    public ulong SystemUsage { get; init; }

    public uint OnlineCpus { get; init; }

    public ulong ThrottlingPeriods { get; init; }

    public ulong ThrottledPeriods { get; init; }

    public ulong ThrottledTime { get; init; }
}
