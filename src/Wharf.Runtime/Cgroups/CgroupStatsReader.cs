using Wharf.Core.Containers.Stats;

namespace Wharf.Runtime.Cgroups;

/// <summary>
/// Reads a container's cgroup files into Docker's stats terms, the way containerd's cgroup
/// metrics and dockerd's statsV1/statsV2 do: which files, which keys, nanoseconds, "max"
/// meaning unlimited, and the memory limit clamped to the machine's memory.
/// </summary>
internal static class CgroupStatsReader
{
    /// <summary>The memory.stat keys dockerd reports on cgroup v1 (missing ones are 0).</summary>
    public static readonly string[] V1MemoryKeys =
    [
        "cache", "rss", "rss_huge", "mapped_file", "dirty", "writeback", "pgpgin", "pgpgout", "pgfault", "pgmajfault",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "hierarchical_memory_limit",
        "hierarchical_memsw_limit", "total_cache", "total_rss", "total_rss_huge", "total_mapped_file", "total_dirty",
        "total_writeback", "total_pgpgin", "total_pgpgout", "total_pgfault", "total_pgmajfault", "total_inactive_anon",
        "total_active_anon", "total_inactive_file", "total_active_file", "total_unevictable",
    ];

    /// <summary>The memory.stat keys dockerd reports on cgroup v2 (missing ones are 0).</summary>
    public static readonly string[] V2MemoryKeys =
    [
        "anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped", "file_dirty", "file_writeback", "anon_thp",
        "inactive_anon", "active_anon", "inactive_file", "active_file", "unevictable", "slab_reclaimable", "slab_unreclaimable",
        "pgfault", "pgmajfault", "workingset_refault", "workingset_activate", "workingset_nodereclaim", "pgrefill", "pgscan",
        "pgsteal", "pgactivate", "pgdeactivate", "pglazyfree", "pglazyfreed", "thp_fault_alloc", "thp_collapse_alloc",
    ];

    /// <summary>The CFQ files read first on v1, and the list each fills.</summary>
    private static readonly string[] CfqFiles =
    [
        "sectors_recursive", "io_service_bytes_recursive", "io_serviced_recursive", "io_queued_recursive",
        "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "time_recursive",
    ];

    private const ulong NanosPerTick = 1_000_000_000 / 100;

    public static ResourceSample Read(CgroupFs fs, CgroupLocation location, ulong machineMemory, DateTimeOffset now) =>
        location.IsV2 ? V2(fs, location.Unified!, machineMemory, now) : V1(fs, location, machineMemory, now);

    public static ResourceSample V1(CgroupFs fs, CgroupLocation location, ulong machineMemory, DateTimeOffset now)
    {
        string? File(string controller, string name) => location.Controller(controller) is { } dir ? fs.Read(dir + "/" + name) : null;

        var acct = CgroupText.KeyValues(File("cpuacct", "cpuacct.stat"));
        var throttling = CgroupText.KeyValues(File("cpu", "cpu.stat"));
        var cpu = new CpuSample
        {
            TotalUsage = CgroupText.Uint(File("cpuacct", "cpuacct.usage")),
            PerCpu = CgroupText.Numbers(File("cpuacct", "cpuacct.usage_percpu")),
            UserMode = acct.GetValueOrDefault("user") * NanosPerTick,
            KernelMode = acct.GetValueOrDefault("system") * NanosPerTick,
            ThrottlingPeriods = throttling.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
            ThrottledTime = throttling.GetValueOrDefault("throttled_time"),
        };

        var memoryStat = CgroupText.KeyValues(File("memory", "memory.stat"));
        var memory = new MemorySample
        {
            Usage = CgroupText.Uint(File("memory", "memory.usage_in_bytes")),
            MaxUsage = CgroupText.Uint(File("memory", "memory.max_usage_in_bytes")),
            Failcnt = CgroupText.Uint(File("memory", "memory.failcnt")),
            Limit = Clamp(CgroupText.Uint(File("memory", "memory.limit_in_bytes")), machineMemory),
            Stats = V1MemoryKeys.ToDictionary(k => k, memoryStat.GetValueOrDefault, StringComparer.Ordinal),
        };

        var pids = new PidsSample(CgroupText.Uint(File("pids", "pids.current")), CgroupText.Uint(File("pids", "pids.max"), max: 0));
        return new ResourceSample { Read = now, Cpu = cpu, Memory = memory, Pids = pids, Blkio = BlkioV1(fs, location.Controller("blkio")) };
    }

    /// <summary>
    /// The CFQ counters when the kernel has them and any is non-empty, else the throttle
    /// policy's two counters (what a host without CFQ, like most today, offers).
    /// </summary>
    private static BlkioSample BlkioV1(CgroupFs fs, string? dir)
    {
        if (dir is null)
        {
            return Empty();
        }

        if (fs.Exists(dir + "/blkio.io_serviced_recursive"))
        {
            var lists = CfqFiles.Select(f => CgroupText.BlkioV1(fs.Read(dir + "/blkio." + f))).ToArray();
            if (lists.Any(l => l.Count > 0))
            {
                return new BlkioSample
                {
                    SectorsRecursive = lists[0],
                    IoServiceBytesRecursive = lists[1],
                    IoServicedRecursive = lists[2],
                    IoQueueRecursive = lists[3],
                    IoServiceTimeRecursive = lists[4],
                    IoWaitTimeRecursive = lists[5],
                    IoMergedRecursive = lists[6],
                    IoTimeRecursive = lists[7],
                };
            }
        }

        return Empty() with
        {
            IoServicedRecursive = CgroupText.BlkioV1(fs.Read(dir + "/blkio.throttle.io_serviced")),
            IoServiceBytesRecursive = CgroupText.BlkioV1(fs.Read(dir + "/blkio.throttle.io_service_bytes")),
        };

        static BlkioSample Empty() => new()
        {
            IoServiceBytesRecursive = [],
            IoServicedRecursive = [],
            IoQueueRecursive = [],
            IoServiceTimeRecursive = [],
            IoWaitTimeRecursive = [],
            IoMergedRecursive = [],
            IoTimeRecursive = [],
            SectorsRecursive = [],
        };
    }

    public static ResourceSample V2(CgroupFs fs, string dir, ulong machineMemory, DateTimeOffset now)
    {
        string? File(string name) => fs.Read(dir + "/" + name);

        var cpuStat = CgroupText.KeyValues(File("cpu.stat"));
        var cpu = new CpuSample
        {
            TotalUsage = cpuStat.GetValueOrDefault("usage_usec") * 1000,
            UserMode = cpuStat.GetValueOrDefault("user_usec") * 1000,
            KernelMode = cpuStat.GetValueOrDefault("system_usec") * 1000,
            ThrottlingPeriods = cpuStat.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = cpuStat.GetValueOrDefault("nr_throttled"),
            ThrottledTime = cpuStat.GetValueOrDefault("throttled_usec") * 1000,
        };

        var memoryStat = CgroupText.KeyValues(File("memory.stat"));
        var memory = new MemorySample
        {
            Usage = CgroupText.Uint(File("memory.current")),
            Limit = Clamp(CgroupText.Uint(File("memory.max")), machineMemory),
            Failcnt = CgroupText.KeyValues(File("memory.events")).GetValueOrDefault("oom"),
            Stats = V2MemoryKeys.ToDictionary(k => k, memoryStat.GetValueOrDefault, StringComparer.Ordinal),
        };

        var io = CgroupText.IoStat(File("io.stat"));
        var serviceBytes = io.SelectMany(d => new[]
        {
            new BlkioEntry(d.Major, d.Minor, "read", d.ReadBytes),
            new BlkioEntry(d.Major, d.Minor, "write", d.WriteBytes),
        }).ToList();
        var pids = new PidsSample(CgroupText.Uint(File("pids.current")), CgroupText.Uint(File("pids.max"), max: 0));
        return new ResourceSample
        {
            Read = now,
            Cpu = cpu,
            Memory = memory,
            Pids = pids,
            Blkio = new BlkioSample { IoServiceBytesRecursive = serviceBytes.Count > 0 ? serviceBytes : null },
        };
    }

    /// <summary>No limit (or one above the machine's memory) shows as the machine's memory.</summary>
    private static ulong Clamp(ulong limit, ulong machineMemory) => machineMemory > 0 && limit > machineMemory ? machineMemory : limit;

    /// <summary>Docker's sysinfo for the resource checks of create and update.</summary>
    public static CgroupHostInfo HostInfo(CgroupFs fs, CgroupLocation? self, int numCpus)
    {
        if (self is null)
        {
            return new CgroupHostInfo { NumCpus = numCpus };
        }

        if (self.IsV2)
        {
            // The root of a v2 host lists its controllers; with memory comes the swap limit (moby sysinfo).
            var root = self.UnifiedRoot ?? self.Unified!;
            var controllers = (fs.Read(root + "/cgroup.controllers") ?? "").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return new CgroupHostInfo
            {
                SwapLimit = controllers.Contains("memory"),
                KernelMemory = false,
                BlkioWeight = controllers.Contains("io"),
                CpuRealtime = false,
                Cpus = (fs.Read(root + "/cpuset.cpus.effective") ?? "").Trim(),
                Mems = (fs.Read(root + "/cpuset.mems.effective") ?? "").Trim(),
                NumCpus = numCpus,
            };
        }

        string? Root(string controller) => self.V1Roots.GetValueOrDefault(controller);
        bool Has(string controller, string file) => Root(controller) is { } r && fs.Exists(r + "/" + file);
        return new CgroupHostInfo
        {
            SwapLimit = Has("memory", "memory.memsw.limit_in_bytes"),
            KernelMemory = Has("memory", "memory.kmem.limit_in_bytes"),
            BlkioWeight = Has("blkio", "blkio.weight"),
            CpuRealtime = Has("cpu", "cpu.rt_period_us"),
            Cpus = Root("cpuset") is { } c ? (fs.Read(c + "/cpuset.cpus") ?? "").Trim() : "",
            Mems = Root("cpuset") is { } m ? (fs.Read(m + "/cpuset.mems") ?? "").Trim() : "",
            NumCpus = numCpus,
        };
    }
}
