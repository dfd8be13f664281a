namespace Wharf.Core.Containers.Stats;

/// <summary>
/// Reads a running container's cgroups. The container is named by the PID of its init process:
/// the cgroups it sits in (/proc/PID/cgroup) are where the runtime put the container, whatever
/// the cgroup parent or driver, on cgroup v1, hybrid and pure v2 hosts alike.
/// </summary>
public interface IContainerMetrics
{
    /// <summary>One reading; null when the process is gone. Networks are read only when asked for.</summary>
    ResourceSample? Sample(int initPid, bool withNetworks);

    /// <summary>The processes (thread-group IDs) in the container's cgroup and its sub-cgroups; empty when it is gone.</summary>
    IReadOnlyList<int> ListPids(int initPid);

    /// <summary>What the host supports, read once.</summary>
    CgroupHostInfo HostInfo { get; }
}
