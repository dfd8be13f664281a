using Wharf.Runtime.Cgroups;

namespace Wharf.Runtime.Tests.Cgroups;

public sealed class CgroupMetricsTests
{
    private static CgroupMetrics Metrics(Dictionary<string, string> files) =>
        new(CgroupFs.FromFiles(files), "/proc", new FixedTime(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void ASampleCarriesTheHostCpuTimeNextToTheContainers()
    {
        var s = Metrics(CgroupFixture.V1Hybrid()).Sample(CgroupFixture.Pid, withNetworks: true)!;

        Assert.Equal((1131014UL + 440373 + 835632 + 4548 + 5900) * 10_000_000, s.Cpu.SystemUsage);
        Assert.Equal(2U, s.Cpu.OnlineCpus);
        Assert.Equal(142625456UL, s.Cpu.TotalUsage);
        // Only a loopback in the namespace: no networks, as Docker shows for --network none.
        Assert.Null(s.Networks);
    }

    [Fact]
    public void NetworksAreReadOnlyWhenAskedFor()
    {
        var m = Metrics(CgroupFixture.V2Systemd());

        Assert.Equal(["eth0"], m.Sample(CgroupFixture.Pid, withNetworks: true)!.Networks!.Keys);
        Assert.Null(m.Sample(CgroupFixture.Pid, withNetworks: false)!.Networks);
    }

    [Fact]
    public void UnlimitedMemoryIsClampedToMemTotal()
    {
        var files = CgroupFixture.V2Systemd();
        files[files.Keys.First(k => k.EndsWith("/memory.max", StringComparison.Ordinal))] = "max\n";

        Assert.Equal(8037528UL * 1024, Metrics(files).Sample(CgroupFixture.Pid, false)!.Memory.Limit);
    }

    [Fact]
    public void AGoneProcessHasNoSample()
    {
        var m = Metrics(CgroupFixture.V1Hybrid());

        Assert.Null(m.Sample(999999, true));
        Assert.Null(m.Sample(0, true));
        Assert.Empty(m.ListPids(999999));
    }

    [Fact]
    public void PidsComeFromTheCgroupAndItsSubCgroups()
    {
        var files = CgroupFixture.V1Hybrid();
        var procs = files.Keys.First(k => k.EndsWith("/pids/wharf-st-man/" + CgroupFixture.Read("v1-hybrid", "container-id").Trim() + "/cgroup.procs", StringComparison.Ordinal));
        files[Path.GetDirectoryName(procs) + "/sub/cgroup.procs"] = "20001\n";

        Assert.Equal([15595, 15653, 20001], Metrics(files).ListPids(CgroupFixture.Pid));
        Assert.Equal([4211, 4260, 4261], Metrics(CgroupFixture.V2Systemd()).ListPids(CgroupFixture.Pid));
    }

    [Fact]
    public void HostInfoOfTheHybridHost()
    {
        var info = Metrics(CgroupFixture.V1Hybrid()).HostInfo;

        Assert.True(info.SwapLimit);
        Assert.True(info.KernelMemory);
        Assert.False(info.BlkioWeight);
        Assert.True(info.CpuRealtime);
        Assert.Equal("0-1", info.Cpus);
        Assert.Equal("0", info.Mems);
    }

    [Fact]
    public void HostInfoOfAV2Host()
    {
        var info = Metrics(CgroupFixture.V2Systemd()).HostInfo;

        Assert.True(info.SwapLimit);
        Assert.False(info.KernelMemory);
        Assert.True(info.BlkioWeight);
        Assert.False(info.CpuRealtime);
        Assert.Equal("0-3", info.Cpus);
        Assert.Equal("0", info.Mems);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
