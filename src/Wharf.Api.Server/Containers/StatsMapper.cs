using Wharf.Api.Containers;
using Wharf.Core.Containers.Stats;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// Engine samples to Docker's stats JSON. Go's omitempty decides what shows: zero counters of
/// pids, memory, system CPU and online CPUs are left out, and a container that is not running
/// gets the empty object (zero times, null blkio lists, <c>memory_stats: {}</c>).
/// </summary>
internal static class StatsMapper
{
    public static ContainerStats ToWire(ContainerStatsFrame frame)
    {
        var current = frame.Current;
        return new ContainerStats
        {
            Read = current is null ? ContainerTimes.Zero : ImageMapper.FormatTime(current.Read),
            Preread = frame.Previous is { } p ? ImageMapper.FormatTime(p.Read) : ContainerTimes.Zero,
            PidsStats = current is null ? new PidsStats() : new PidsStats { Current = NonZero(current.Pids.Current), Limit = NonZero(current.Pids.Limit) },
            BlkioStats = current is null ? new BlkioStats() : Blkio(current.Blkio),
            CpuStats = Cpu(current?.Cpu),
            PreCpuStats = Cpu(frame.Previous?.Cpu),
            MemoryStats = current is null ? new MemoryStats() : Memory(current.Memory),
            Name = frame.Name,
            Id = frame.Id,
            Networks = current?.Networks is { Count: > 0 } nets ? nets.ToDictionary(kv => kv.Key, kv => Network(kv.Value), StringComparer.Ordinal) : null,
        };
    }

    private static ulong? NonZero(ulong v) => v == 0 ? null : v;

    private static CpuStats Cpu(CpuSample? c) => c is null
        ? new CpuStats()
        : new CpuStats
        {
            CpuUsage = new CpuUsage
            {
                TotalUsage = c.TotalUsage,
                PercpuUsage = c.PerCpu is { Count: > 0 } per ? per : null,
                UsageInKernelmode = c.KernelMode,
                UsageInUsermode = c.UserMode,
            },
            SystemCpuUsage = NonZero(c.SystemUsage),
            OnlineCpus = c.OnlineCpus == 0 ? null : c.OnlineCpus,
            ThrottlingData = new ThrottlingData { Periods = c.ThrottlingPeriods, ThrottledPeriods = c.ThrottledPeriods, ThrottledTime = c.ThrottledTime },
        };

    private static MemoryStats Memory(MemorySample m) => new()
    {
        Usage = NonZero(m.Usage),
        MaxUsage = NonZero(m.MaxUsage),
        // Go writes map keys sorted.
        Stats = m.Stats.Count == 0 ? null : new SortedDictionary<string, ulong>(m.Stats.ToDictionary(), StringComparer.Ordinal),
        Failcnt = NonZero(m.Failcnt),
        Limit = NonZero(m.Limit),
    };

    private static BlkioStats Blkio(BlkioSample b) => new()
    {
        IoServiceBytesRecursive = Entries(b.IoServiceBytesRecursive),
        IoServicedRecursive = Entries(b.IoServicedRecursive),
        IoQueueRecursive = Entries(b.IoQueueRecursive),
        IoServiceTimeRecursive = Entries(b.IoServiceTimeRecursive),
        IoWaitTimeRecursive = Entries(b.IoWaitTimeRecursive),
        IoMergedRecursive = Entries(b.IoMergedRecursive),
        IoTimeRecursive = Entries(b.IoTimeRecursive),
        SectorsRecursive = Entries(b.SectorsRecursive),
    };

    private static List<BlkioStatEntry>? Entries(IReadOnlyList<BlkioEntry>? list) =>
        list?.Select(e => new BlkioStatEntry { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value }).ToList();

    private static NetworkStats Network(NetworkSample n) => new()
    {
        RxBytes = n.RxBytes,
        RxPackets = n.RxPackets,
        RxErrors = n.RxErrors,
        RxDropped = n.RxDropped,
        TxBytes = n.TxBytes,
        TxPackets = n.TxPackets,
        TxErrors = n.TxErrors,
        TxDropped = n.TxDropped,
    };
}
