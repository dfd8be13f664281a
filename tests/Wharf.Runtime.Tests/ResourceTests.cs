using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class ResourceTests
{
    private static LinuxResources Res(ContainerResources r) => Specs.Build(x => x with { Resources = r }).Linux!.Resources!;

    [Fact]
    public void NothingSetLeavesOnlyDevicesAndEmptyBlockIo()
    {
        var r = Res(new());
        Assert.Null(r.Memory);
        Assert.Null(r.Cpu);
        Assert.Null(r.Pids);
        Assert.Null(r.BlockIo!.Weight);
        Assert.NotEmpty(r.Devices!);
    }

    [Fact]
    public void MemoryGetsTwiceSwapByDefault()
    {
        var m = Res(new() { Memory = 64 << 20, MemoryReservation = 32 << 20 }).Memory!;
        Assert.Equal(64L << 20, m.Limit);
        Assert.Equal(128L << 20, m.Swap);
        Assert.Equal(32L << 20, m.Reservation);
        Assert.Null(m.Kernel);
    }

    [Fact]
    public void UnlimitedSwapSwappinessAndOomKiller()
    {
        var m = Res(new() { Memory = 64 << 20, MemorySwap = -1, MemorySwappiness = 10, OomKillDisable = true }).Memory!;
        Assert.Null(m.Swap);
        Assert.Equal(10UL, m.Swappiness);
        Assert.True(m.DisableOomKiller);
        Assert.Null(Res(new() { MemorySwappiness = -1 }).Memory);
    }

    [Fact]
    public void NanoCpusBecomeQuotaOverHundredMsPeriod()
    {
        var cpu = Res(new() { NanoCpus = 1_500_000_000 }).Cpu!;
        Assert.Equal(100_000UL, cpu.Period);
        Assert.Equal(150_000L, cpu.Quota);
        Assert.Equal(50_000L, Res(new() { NanoCpus = 500_000_000 }).Cpu!.Quota);
    }

    [Fact]
    public void CpuSharesQuotaPeriodAndCpuset()
    {
        var cpu = Res(new() { CpuShares = 512, CpuQuota = 20_000, CpuPeriod = 50_000, CpusetCpus = "0-1", CpusetMems = "0" }).Cpu!;
        Assert.Equal(new LinuxCpu { Shares = 512, Quota = 20_000, Period = 50_000, Cpus = "0-1", Mems = "0" }, cpu);
    }

    [Fact]
    public void PidsLimitZeroOrNegativeIsUnlimited()
    {
        Assert.Equal(100, Res(new() { PidsLimit = 100 }).Pids!.Limit);
        Assert.Equal(-1, Res(new() { PidsLimit = 0 }).Pids!.Limit);
        Assert.Equal(-1, Res(new() { PidsLimit = -5 }).Pids!.Limit);
    }

    [Fact]
    public void BlkioWeight()
    {
        Assert.Equal((ushort)300, Res(new() { BlkioWeight = 300 }).BlockIo!.Weight);
    }

    [Theory]
    [InlineData(1024L, 0L, 0L, 0L, 0L, "Minimum memory limit allowed is 6MB")]
    [InlineData(64L << 20, 32L << 20, 0L, 0L, 0L, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(0L, 64L << 20, 0L, 0L, 0L, "You should always set the Memory limit when using Memoryswap limit, see usage")]
    [InlineData(0L, 0L, 1_000_000_000L, 100_000L, 0L, "Conflicting options: Nano CPUs and CPU Period cannot both be set")]
    [InlineData(0L, 0L, 1_000_000_000L, 0L, 50_000L, "Conflicting options: Nano CPUs and CPU Quota cannot both be set")]
    [InlineData(0L, 0L, 0L, 10L, 0L, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)")]
    [InlineData(0L, 0L, 0L, 0L, 10L, "CPU cfs quota can not be less than 1ms (i.e. 1000)")]
    public void InvalidResourcesUseDockersMessages(long memory, long swap, long nano, long period, long quota, string message)
    {
        var e = Assert.Throws<WharfException>(() => Res(new() { Memory = memory, MemorySwap = swap, NanoCpus = nano, CpuPeriod = period, CpuQuota = quota }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void DefaultDeviceRulesDenyAllThenAllowDefaults()
    {
        var rules = Res(new()).Devices!;
        Assert.Equal(new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, rules[0]);
        Assert.Contains(new LinuxDeviceCgroup { Allow = true, Type = "c", Access = "m" }, rules);
        Assert.Contains(new LinuxDeviceCgroup { Allow = true, Type = "b", Access = "m" }, rules);
        Assert.Contains(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" }, rules);
        Assert.Contains(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 136, Access = "rwm" }, rules);
        Assert.Contains(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 5, Minor = 2, Access = "rwm" }, rules);
        // The fuse deny must precede the mknod wildcards or cgroup v1 runc rejects the set.
        var fuse = rules.ToList().IndexOf(new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 10, Minor = 229, Access = "rwm" });
        Assert.InRange(fuse, 1, rules.ToList().IndexOf(new LinuxDeviceCgroup { Allow = true, Type = "c", Access = "m" }) - 1);
        Assert.Empty(Specs.Build().Linux!.Devices!);
    }

    [Fact]
    public void DeviceMappingAddsNodeAndRule()
    {
        var linux = Specs.Build(r => r with
        {
            Devices = [new DeviceMapping { PathInContainer = "/dev/fuse", Type = "c", Major = 10, Minor = 229, CgroupPermissions = "rw" }],
        }).Linux!;
        var dev = Assert.Single(linux.Devices!);
        Assert.Equal("/dev/fuse", dev.Path);
        Assert.Equal(438u, dev.FileMode);
        Assert.Equal(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rw" }, linux.Resources!.Devices![^1]);
        Assert.Equal("invalid device mode: rx", Assert.Throws<WharfException>(() => Specs.Build(r => r with
        {
            Devices = [new DeviceMapping { PathInContainer = "/dev/x", Type = "c", Major = 1, Minor = 1, CgroupPermissions = "rx" }],
        })).Message);
    }

    [Fact]
    public void UlimitsAreClampedToHostHardLimit()
    {
        var rl = Specs.Build(r => r with { Ulimits = [new Ulimit("nofile", 1024, 1_048_576), new Ulimit("nproc", 100, 200)] }).Process!.Rlimits!;
        Assert.Equal(new PosixRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 20000 }, rl[0]);
        Assert.Equal(new PosixRlimit { Type = "RLIMIT_NPROC", Soft = 100, Hard = 200 }, rl[1]);
        Assert.Null(Specs.Build().Process!.Rlimits);
        Assert.Equal("invalid ulimit type: bogus", Assert.Throws<WharfException>(() => Specs.Build(r => r with { Ulimits = [new Ulimit("bogus", 1, 1)] })).Message);
        Assert.Equal("ulimit soft limit must be less than or equal to hard limit: 2 > 1",
            Assert.Throws<WharfException>(() => Specs.Build(r => r with { Ulimits = [new Ulimit("nofile", 2, 1)] })).Message);
    }

    [Fact]
    public void CgroupsPathForBothDrivers()
    {
        Assert.Equal("/docker/" + Specs.Id, Specs.Build().Linux!.CgroupsPath);
        Assert.Equal("/mine/" + Specs.Id, Specs.Build(r => r with { CgroupParent = "/mine/" }).Linux!.CgroupsPath);
        Assert.Equal("/x/y", Specs.Build(r => r with { CgroupsPath = "/x/y" }).Linux!.CgroupsPath);
        var systemd = Specs.Build(Specs.Request(), host: Specs.Host with { SystemdCgroups = true });
        Assert.Equal("system.slice:docker:" + Specs.Id, systemd.Linux!.CgroupsPath);
    }

    [Fact]
    public void OomScoreAdjAlwaysWritten()
    {
        Assert.Equal(0, Specs.Build().Process!.OomScoreAdj);
        Assert.Equal(500, Specs.Build(r => r with { OomScoreAdj = 500 }).Process!.OomScoreAdj);
    }
}
