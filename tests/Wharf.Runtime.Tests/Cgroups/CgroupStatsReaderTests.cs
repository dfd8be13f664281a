using Wharf.Core.Containers.Stats;
using Wharf.Runtime.Cgroups;

namespace Wharf.Runtime.Tests.Cgroups;

public sealed class CgroupStatsReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static ResourceSample Read(Dictionary<string, string> files, ulong machineMemory)
    {
        var loc = CgroupLocation.Parse(files[$"/proc/{CgroupFixture.Pid}/cgroup"], files["/proc/self/mountinfo"])!;
        return CgroupStatsReader.Read(CgroupFs.FromFiles(files), loc, machineMemory, Now);
    }

    [Fact]
    public void V1CpuIsCpuacctInNanosecondsWithTicksForUserAndSystem()
    {
        var s = Read(CgroupFixture.V1Hybrid(), 25276026880);

        Assert.Equal(Now, s.Read);
        Assert.Equal(142625456UL, s.Cpu.TotalUsage);
        Assert.Equal([68732334UL, 73893122UL], s.Cpu.PerCpu!);
        Assert.Equal(40_000_000UL, s.Cpu.UserMode);
        Assert.Equal(100_000_000UL, s.Cpu.KernelMode);
        Assert.Equal(0UL, s.Cpu.ThrottlingPeriods);
    }

    [Fact]
    public void V1MemoryHasUsagePeakLimitAndDockersThirtyTwoCounters()
    {
        var s = Read(CgroupFixture.V1Hybrid(), 25276026880);

        Assert.Equal(22065152UL, s.Memory.Usage);
        Assert.Equal(23183360UL, s.Memory.MaxUsage);
        Assert.Equal(0UL, s.Memory.Failcnt);
        Assert.Equal(96UL * 1024 * 1024, s.Memory.Limit);
        Assert.Equal(32, s.Memory.Stats.Count);
        Assert.Equal(20987904UL, s.Memory.Stats["cache"]);
        Assert.Equal(201326592UL, s.Memory.Stats["hierarchical_memsw_limit"]);
        Assert.True(s.Memory.Stats.ContainsKey("total_inactive_file"));
        // Counters of newer kernels that dockerd does not report stay out.
        Assert.False(s.Memory.Stats.ContainsKey("workingset_refault_anon"));
        Assert.False(s.Memory.Stats.ContainsKey("shmem"));
    }

    [Fact]
    public void V1PidsAndEmptyBlkioListsThatAreNotNull()
    {
        var s = Read(CgroupFixture.V1Hybrid(), 25276026880);

        Assert.Equal(new PidsSample(2, 30), s.Pids);
        Assert.NotNull(s.Blkio.IoServiceBytesRecursive);
        Assert.NotNull(s.Blkio.SectorsRecursive);
        Assert.NotNull(s.Blkio.IoQueueRecursive);
        Assert.Empty(s.Blkio.IoServiceBytesRecursive!);
    }

    [Fact]
    public void V1UnlimitedMemoryShowsTheMachinesMemoryAndUnlimitedPidsShowZero()
    {
        var files = CgroupFixture.V1Hybrid();
        var memDir = Path.GetDirectoryName(files.Keys.First(k => k.EndsWith("/memory.limit_in_bytes", StringComparison.Ordinal)))!;
        files[memDir + "/memory.limit_in_bytes"] = "9223372036854771712\n";
        files[files.Keys.First(k => k.EndsWith("/pids.max", StringComparison.Ordinal))] = "max\n";

        var s = Read(files, 25276026880);

        Assert.Equal(25276026880UL, s.Memory.Limit);
        Assert.Equal(0UL, s.Pids.Limit);
    }

    [Fact]
    public void V1CfqCountersWinWhenTheKernelHasThem()
    {
        var files = CgroupFixture.V1Hybrid();
        var dir = Path.GetDirectoryName(files.Keys.First(k => k.Contains("/blkio/", StringComparison.Ordinal)))!;
        files[dir + "/blkio.io_serviced_recursive"] = "8:0 Read 10\n8:0 Write 5\n8:0 Total 15\nTotal 15\n";
        files[dir + "/blkio.io_service_bytes_recursive"] = "8:0 Read 40960\n8:0 Write 20480\nTotal 61440\n";
        files[dir + "/blkio.sectors_recursive"] = "8:0 120\n";
        files[dir + "/blkio.time_recursive"] = "8:0 3\n";

        var s = Read(files, 0);

        Assert.Equal(3, s.Blkio.IoServicedRecursive!.Count);
        Assert.Equal(new BlkioEntry(8, 0, "Read", 40960), s.Blkio.IoServiceBytesRecursive![0]);
        Assert.Equal(new BlkioEntry(8, 0, "", 120), Assert.Single(s.Blkio.SectorsRecursive!));
        Assert.Equal(new BlkioEntry(8, 0, "", 3), Assert.Single(s.Blkio.IoTimeRecursive!));
        Assert.Empty(s.Blkio.IoMergedRecursive!);
    }

    [Fact]
    public void V1FallsBackToTheThrottleCountersWhenCfqIsEmpty()
    {
        var files = CgroupFixture.V1Hybrid();
        var dir = Path.GetDirectoryName(files.Keys.First(k => k.Contains("/blkio/", StringComparison.Ordinal)))!;
        files[dir + "/blkio.io_serviced_recursive"] = "Total 0\n";
        files[dir + "/blkio.throttle.io_service_bytes"] = "8:0 Read 4096\n8:0 Write 0\n8:0 Total 4096\nTotal 4096\n";
        files[dir + "/blkio.throttle.io_serviced"] = "8:0 Read 1\n8:0 Write 0\n8:0 Total 1\nTotal 1\n";

        var s = Read(files, 0);

        Assert.Equal(3, s.Blkio.IoServiceBytesRecursive!.Count);
        Assert.Equal(3, s.Blkio.IoServicedRecursive!.Count);
        Assert.Empty(s.Blkio.SectorsRecursive!);
    }

    [Fact]
    public void V2CpuStatIsInMicrosecondsAndHasNoPerCpuUsage()
    {
        var s = Read(CgroupFixture.V2Systemd(), 8230428672);

        Assert.Equal(53_431_000UL, s.Cpu.TotalUsage);
        Assert.Equal(28_725_000UL, s.Cpu.UserMode);
        Assert.Equal(24_706_000UL, s.Cpu.KernelMode);
        Assert.Null(s.Cpu.PerCpu);
        Assert.Equal(12UL, s.Cpu.ThrottlingPeriods);
        Assert.Equal(3UL, s.Cpu.ThrottledPeriods);
        Assert.Equal(4_567_000UL, s.Cpu.ThrottledTime);
    }

    [Fact]
    public void V2MemoryHasCurrentMaxOomCountAndTheV2Counters()
    {
        var s = Read(CgroupFixture.V2Systemd(), 8230428672);

        Assert.Equal(1290240UL, s.Memory.Usage);
        Assert.Equal(0UL, s.Memory.MaxUsage);
        Assert.Equal(64UL * 1024 * 1024, s.Memory.Limit);
        Assert.Equal(1UL, s.Memory.Failcnt);
        Assert.Equal(31, s.Memory.Stats.Count);
        Assert.Equal(204800UL, s.Memory.Stats["anon"]);
        Assert.Equal(1003520UL, s.Memory.Stats["inactive_file"]);
        Assert.Equal(2UL, s.Memory.Stats["pgmajfault"]);
        // Split into _anon/_file by newer kernels: reported as 0 under the old name, as containerd does.
        Assert.Equal(0UL, s.Memory.Stats["workingset_refault"]);
        Assert.False(s.Memory.Stats.ContainsKey("total_inactive_file"));
    }

    [Fact]
    public void V2MaxMemoryIsTheMachinesMemory()
    {
        var files = CgroupFixture.V2Systemd();
        files[files.Keys.First(k => k.EndsWith("/memory.max", StringComparison.Ordinal))] = "max\n";

        Assert.Equal(8230428672UL, Read(files, 8230428672).Memory.Limit);
    }

    [Fact]
    public void V2IoGivesReadAndWriteEntriesAndLeavesTheOtherListsNull()
    {
        var s = Read(CgroupFixture.V2Systemd(), 0);

        Assert.Equal(
            [new BlkioEntry(254, 0, "read", 1458176), new BlkioEntry(254, 0, "write", 4096), new BlkioEntry(8, 16, "read", 0), new BlkioEntry(8, 16, "write", 8192)],
            s.Blkio.IoServiceBytesRecursive!);
        Assert.Null(s.Blkio.IoServicedRecursive);
        Assert.Null(s.Blkio.SectorsRecursive);
        Assert.Equal(new PidsSample(3, 100), s.Pids);
    }

    [Fact]
    public void V2WithoutIoIsANullList()
    {
        var files = CgroupFixture.V2Systemd();
        files[files.Keys.First(k => k.EndsWith("/io.stat", StringComparison.Ordinal))] = "";

        Assert.Null(Read(files, 0).Blkio.IoServiceBytesRecursive);
    }
}
