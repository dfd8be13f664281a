namespace Wharf.Core.Containers;

/// <summary>
/// Body of <c>POST /containers/{id}/update</c> in engine terms: HostConfig's resources plus the
/// restart policy. Zero, empty and null mean "leave as is", as in Docker.
/// </summary>
public sealed record ContainerUpdate
{
    public long Memory { get; init; }

    /// <summary>Memory plus swap; -1 unlimited.</summary>
    public long MemorySwap { get; init; }

    public long MemoryReservation { get; init; }

    /// <summary>Deprecated; API 1.42 and later drop it at the edge.</summary>
    public long KernelMemory { get; init; }

    public long? MemorySwappiness { get; init; }

    public bool? OomKillDisable { get; init; }

    public long NanoCpus { get; init; }

    public long CpuShares { get; init; }

    public long CpuQuota { get; init; }

    public long CpuPeriod { get; init; }

    public long CpuRealtimePeriod { get; init; }

    public long CpuRealtimeRuntime { get; init; }

    public long CpuPercent { get; init; }

    public string CpusetCpus { get; init; } = "";

    public string CpusetMems { get; init; } = "";

    /// <summary>Null leaves it; 0 (the edge turns negatives into 0) makes it unlimited.</summary>
    public long? PidsLimit { get; init; }

    public int BlkioWeight { get; init; }

    public ulong IOMaximumIOps { get; init; }

    public ulong IOMaximumBandwidth { get; init; }

    /// <summary>Null or an empty name leaves the policy as it is.</summary>
    public RestartPolicy? RestartPolicy { get; init; }
}
