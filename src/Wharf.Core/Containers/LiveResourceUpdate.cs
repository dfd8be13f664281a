namespace Wharf.Core.Containers;

/// <summary>
/// The cgroup settings to change on a running container; null leaves a setting as it is. CPU
/// quota and period are already derived from NanoCpus. A pids limit of -1 means unlimited.
/// </summary>
public sealed record LiveResourceUpdate
{
    public long? Memory { get; init; }

    public long? MemorySwap { get; init; }

    public long? MemoryReservation { get; init; }

    public ulong? CpuShares { get; init; }

    public long? CpuQuota { get; init; }

    public ulong? CpuPeriod { get; init; }

    public ulong? CpuRealtimePeriod { get; init; }

    public long? CpuRealtimeRuntime { get; init; }

    public string? CpusetCpus { get; init; }

    public string? CpusetMems { get; init; }

    public long? PidsLimit { get; init; }

    public ushort? BlkioWeight { get; init; }

    public bool IsEmpty => this == new LiveResourceUpdate();
}
