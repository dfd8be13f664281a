using Wharf.Runtime.Cgroups;

namespace Wharf.Runtime.Tests.Cgroups;

public sealed class CgroupTextTests
{
    [Theory]
    [InlineData("12345\n", 12345UL)]
    [InlineData("max\n", 777UL)]
    [InlineData("", 0UL)]
    [InlineData("garbage", 0UL)]
    public void SingleNumbers(string text, ulong expected) => Assert.Equal(expected, CgroupText.Uint(text, max: 777));

    [Fact]
    public void KeyValueFilesSkipMalformedLines()
    {
        var kv = CgroupText.KeyValues("user 4\nsystem 10\nbroken\nneg -1\n\n");

        Assert.Equal(2, kv.Count);
        Assert.Equal(4UL, kv["user"]);
        Assert.Equal(10UL, kv["system"]);
    }

    [Fact]
    public void V1BlkioLinesWithAndWithoutOperation()
    {
        const string text = """
            8:0 Read 4096
            8:0 Write 8192
            8:0 Sync 0
            8:0 Async 12288
            8:0 Discard 0
            8:0 Total 12288
            253:1 512
            Total 12288
            """;

        var entries = CgroupText.BlkioV1(text);

        Assert.Equal(7, entries.Count);
        Assert.Equal(new Core.Containers.Stats.BlkioEntry(8, 0, "Read", 4096), entries[0]);
        Assert.Equal(new Core.Containers.Stats.BlkioEntry(8, 0, "Total", 12288), entries[5]);
        Assert.Equal(new Core.Containers.Stats.BlkioEntry(253, 1, "", 512), entries[6]);
    }

    [Fact]
    public void TheThrottleFilesOfThisKernelHoldOnlyTotals()
    {
        Assert.Empty(CgroupText.BlkioV1(CgroupFixture.Read("v1-hybrid", "blkio/blkio.throttle.io_service_bytes")));
    }

    [Fact]
    public void V2IoStatTakesReadAndWriteBytesPerDevice()
    {
        var io = CgroupText.IoStat(CgroupFixture.Read("v2-systemd", "container/io.stat"));

        Assert.Equal([(254UL, 0UL, 1458176UL, 4096UL), (8UL, 16UL, 0UL, 8192UL)], io);
    }

    [Fact]
    public void ProcStatSumsTheFirstSevenFieldsInNanosecondsAndCountsCpus()
    {
        var (system, online) = CgroupText.ProcStat(CgroupFixture.Read("v1-hybrid", "proc/stat"));

        // cpu  1131014 0 440373 835632 4548 0 5900 0 0 0: the first seven, at 100 ticks a second.
        Assert.Equal((1131014UL + 440373 + 835632 + 4548 + 5900) * 10_000_000, system);
        Assert.Equal(2U, online);
    }

    [Fact]
    public void MemTotalInBytes()
    {
        Assert.Equal(24683620UL * 1024, CgroupText.MemTotal(CgroupFixture.Read("v1-hybrid", "proc/meminfo")));
    }

    [Fact]
    public void NetDevLeavesOutTheLoopback()
    {
        Assert.Empty(CgroupText.NetDev(CgroupFixture.Read("v1-hybrid", "proc/PID/net-dev")));

        var nets = CgroupText.NetDev(CgroupFixture.Read("v2-systemd", "proc/PID/net-dev"));

        var eth0 = Assert.Single(nets);
        Assert.Equal("eth0", eth0.Key);
        Assert.Equal(5296UL, eth0.Value.RxBytes);
        Assert.Equal(46UL, eth0.Value.RxPackets);
        Assert.Equal(1UL, eth0.Value.RxErrors);
        Assert.Equal(2UL, eth0.Value.RxDropped);
        Assert.Equal(1064UL, eth0.Value.TxBytes);
        Assert.Equal(12UL, eth0.Value.TxPackets);
        Assert.Equal(3UL, eth0.Value.TxErrors);
        Assert.Equal(4UL, eth0.Value.TxDropped);
    }
}
