namespace Wharf.Core.Containers.Stats;

/// <summary>
/// What the host's cgroups can do, for Docker's resource checks (its sysinfo): unsupported
/// settings are discarded with a warning, requested CPUs and memory nodes must exist.
/// </summary>
public sealed record CgroupHostInfo
{
    public bool SwapLimit { get; init; } = true;

    public bool KernelMemory { get; init; }

    public bool BlkioWeight { get; init; }

    public bool CpuRealtime { get; init; }

    /// <summary>CPUs the root cpuset allows, in list form ("0-1").</summary>
    public string Cpus { get; init; } = "";

    /// <summary>Memory nodes the root cpuset allows ("0").</summary>
    public string Mems { get; init; } = "";

    /// <summary>CPUs this process may run on (Docker's sysinfo.NumCPU).</summary>
    public int NumCpus { get; init; } = 1;
}
