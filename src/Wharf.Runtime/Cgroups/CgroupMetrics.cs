using System.Globalization;
using Wharf.Core.Containers.Stats;

namespace Wharf.Runtime.Cgroups;

/// <summary>
/// <see cref="IContainerMetrics"/> over the host's /proc and cgroup file systems. The container's
/// cgroups are found from its init process (/proc/PID/cgroup and /proc/self/mountinfo), so this
/// works for any cgroup parent, for cgroupfs and systemd drivers, on v1, hybrid and v2 hosts.
/// </summary>
public sealed class CgroupMetrics : IContainerMetrics
{
    private readonly CgroupFs _fs;
    private readonly string _proc;
    private readonly TimeProvider _time;
    private readonly Lazy<ulong> _machineMemory;
    private readonly Lazy<CgroupHostInfo> _hostInfo;

    public CgroupMetrics(TimeProvider time)
        : this(CgroupFs.Host, "/proc", time)
    {
    }

    internal CgroupMetrics(CgroupFs fs, string proc, TimeProvider time)
    {
        _fs = fs;
        _proc = proc;
        _time = time;
        _machineMemory = new(() => CgroupText.MemTotal(fs.Read(proc + "/meminfo")));
        _hostInfo = new(() => CgroupStatsReader.HostInfo(fs, Locate("self"), Environment.ProcessorCount));
    }

    public CgroupHostInfo HostInfo => _hostInfo.Value;

    public ResourceSample? Sample(int initPid, bool withNetworks)
    {
        if (initPid <= 0 || Locate(initPid.ToString(CultureInfo.InvariantCulture)) is not { } location)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var sample = CgroupStatsReader.Read(_fs, location, _machineMemory.Value, now);
        // Docker samples the host's CPU time right after the container's, to keep CPU % honest.
        var (system, online) = CgroupText.ProcStat(_fs.Read(_proc + "/stat"));
        sample = sample with { Cpu = sample.Cpu with { SystemUsage = system, OnlineCpus = online } };
        if (withNetworks && _fs.Read($"{_proc}/{initPid}/net/dev") is { } netDev && CgroupText.NetDev(netDev) is { Count: > 0 } networks)
        {
            sample = sample with { Networks = networks };
        }

        return sample;
    }

    public IReadOnlyList<int> ListPids(int initPid)
    {
        if (initPid <= 0 || Locate(initPid.ToString(CultureInfo.InvariantCulture)) is not { } location)
        {
            return [];
        }

        // runc ps reads one hierarchy (devices on v1) with its sub-cgroups; any controller the runtime set up will do.
        var dir = location.IsV2 ? location.Unified : location.Controller("pids") ?? location.Controller("devices") ?? location.Controller("memory") ?? location.Unified;
        if (dir is null)
        {
            return [];
        }

        var pids = new SortedSet<int>();
        Collect(dir, pids, depth: 0);
        return [.. pids];
    }

    private void Collect(string dir, SortedSet<int> pids, int depth)
    {
        foreach (var line in (_fs.Read(dir + "/cgroup.procs") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
            {
                pids.Add(pid);
            }
        }

        if (depth < 16)
        {
            foreach (var sub in _fs.Subdirectories(dir))
            {
                Collect(sub, pids, depth + 1);
            }
        }
    }

    private CgroupLocation? Locate(string pid) =>
        _fs.Read($"{_proc}/{pid}/cgroup") is { } cgroup && _fs.Read(_proc + "/self/mountinfo") is { } mounts
            ? CgroupLocation.Parse(cgroup, mounts)
            : null;
}
