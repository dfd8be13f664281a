namespace Wharf.Core.Containers.Spec;

/// <summary>HostConfig's resource fields that become cgroup settings; zero/null means unset, as in Docker's API.</summary>
public sealed record ContainerResources
{
    public long Memory { get; init; }

    /// <summary>Memory plus swap; 0 means twice <see cref="Memory"/> (Docker's default), -1 unlimited.</summary>
    public long MemorySwap { get; init; }

    public long MemoryReservation { get; init; }

    /// <summary>0-100; null or -1 leaves the kernel's value.</summary>
    public long? MemorySwappiness { get; init; }

    public bool? OomKillDisable { get; init; }

    /// <summary>CPUs in units of 1e-9 (<c>--cpus 1.5</c> is 1500000000); becomes quota over a 100 ms period.</summary>
    public long NanoCpus { get; init; }

    public long CpuShares { get; init; }

    public long CpuQuota { get; init; }

    public long CpuPeriod { get; init; }

    /// <summary>Real-time period and runtime in microseconds (cgroup v1 only); 0 leaves them unset.</summary>
    public long CpuRealtimePeriod { get; init; }

    public long CpuRealtimeRuntime { get; init; }

    public string CpusetCpus { get; init; } = "";

    public string CpusetMems { get; init; } = "";

    /// <summary>Null leaves it unset; 0 or negative means unlimited (-1 in the spec).</summary>
    public long? PidsLimit { get; init; }

    public ushort BlkioWeight { get; init; }
}
