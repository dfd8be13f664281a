using System.Text.Json.Nodes;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Engine.Tests.Resources;

public sealed class UpdateMergeTests
{
    private const string Id = "a9aae80c84afbb513956acd6cd85e94452df8ed9686bbc31270833b329907467";

    private static ContainerRecord Rec(ContainerHostSettings host, string json = """{"Memory":67108864,"MemorySwap":0,"RestartPolicy":{"Name":"","MaximumRetryCount":0},"PidsLimit":50}""") => new()
    {
        Id = Id,
        Name = "st-mem",
        Created = DateTimeOffset.UtcNow,
        ImageId = Digest.ComputeSha256("img"u8),
        Config = new ContainerConfig { Image = "busybox" },
        Host = host,
        HostConfigJson = json,
    };

    private static readonly ContainerHostSettings MemLimited = new() { Memory = 67108864, PidsLimit = 50 };

    [Fact]
    public void MemoryAndSwapAreStoredAndShownByInspect()
    {
        var next = UpdateMerge.Apply(Rec(MemLimited), new ContainerUpdate { Memory = 134217728, MemorySwap = 268435456 });

        Assert.Equal(134217728, next.Host.Memory);
        Assert.Equal(268435456, next.Host.MemorySwap);
        var json = JsonNode.Parse(next.HostConfigJson)!;
        Assert.Equal(134217728, json["Memory"]!.GetValue<long>());
        Assert.Equal(268435456, json["MemorySwap"]!.GetValue<long>());
        Assert.Equal(50, json["PidsLimit"]!.GetValue<long>());
        Assert.Equal("", json["RestartPolicy"]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public void TheSwapDockerFilledAtCreateAllowsALowerMemoryLimit()
    {
        // -m 64m stored swap 128m in dockerd; here the create left 0, meaning twice the memory.
        var next = UpdateMerge.Apply(Rec(MemLimited), new ContainerUpdate { Memory = 100 * 1024 * 1024 });

        Assert.Equal(100 * 1024 * 1024, next.Host.Memory);
        Assert.Equal(134217728, next.Host.MemorySwap);
        Assert.Equal(134217728, JsonNode.Parse(next.HostConfigJson)!["MemorySwap"]!.GetValue<long>());
    }

    [Fact]
    public void MemoryAboveTheStoredSwapNeedsANewSwap()
    {
        var (status, message) = StatsGolden.Error("update-memory-above-swap");
        Assert.Equal(409, status);

        var e = Assert.Throws<WharfException>(() => UpdateMerge.Apply(Rec(MemLimited with { MemorySwap = 268435456, Memory = 134217728 }), new ContainerUpdate { Memory = 536870912 }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AContainerWithoutLimitsNeedsASwapWithItsFirstMemoryLimit()
    {
        var e = Assert.Throws<WharfException>(() => UpdateMerge.Apply(Rec(new ContainerHostSettings()), new ContainerUpdate { Memory = 104857600 }));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.EndsWith("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", e.Message, StringComparison.Ordinal);

        var ok = UpdateMerge.Apply(Rec(new ContainerHostSettings()), new ContainerUpdate { Memory = 104857600, MemorySwap = -1 });
        Assert.Equal(-1, ok.Host.MemorySwap);
    }

    [Theory]
    [InlineData("update-nano-with-quota", 0L, 50000L, 100000L, 500000000L, 0L, 0L)]
    [InlineData("update-quota-with-nano", 500000000L, 0L, 0L, 0L, 50000L, 0L)]
    [InlineData("update-period-with-nano", 500000000L, 0L, 0L, 0L, 0L, 50000L)]
    public void NanoCpusAndCfsSettingsDoNotMix(string golden, long storedNano, long storedQuota, long storedPeriod, long nano, long quota, long period)
    {
        var (status, message) = StatsGolden.Error(golden);
        Assert.Equal(409, status);
        var host = new ContainerHostSettings { NanoCpus = storedNano, CpuQuota = storedQuota, CpuPeriod = storedPeriod };
        var rec = Rec(host) with { Id = message.Split(' ')[3].TrimEnd(':') };

        var e = Assert.Throws<WharfException>(() => UpdateMerge.Apply(rec, new ContainerUpdate { NanoCpus = nano, CpuQuota = quota, CpuPeriod = period }));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void RestartPolicyOfAnAutoRemoveContainerOnlyToNo()
    {
        var (status, message) = StatsGolden.Error("update-restart-autoremove");
        Assert.Equal(409, status);
        var rec = Rec(new ContainerHostSettings { AutoRemove = true }) with { Id = message.Split(' ')[3].TrimEnd(':') };

        var e = Assert.Throws<WharfException>(() => UpdateMerge.Apply(rec, new ContainerUpdate { RestartPolicy = new RestartPolicy("always") }));
        Assert.Equal(message, e.Message);

        var ok = UpdateMerge.Apply(rec, new ContainerUpdate { RestartPolicy = new RestartPolicy("no") });
        Assert.Equal("no", ok.Host.RestartPolicy.Name);
    }

    [Fact]
    public void RestartPolicyAndPidsLimitAreStored()
    {
        var next = UpdateMerge.Apply(Rec(MemLimited), new ContainerUpdate { RestartPolicy = new RestartPolicy("on-failure", 3), PidsLimit = 0 });

        Assert.Equal(new RestartPolicy("on-failure", 3), next.Host.RestartPolicy);
        Assert.Equal(0, next.Host.PidsLimit);
        var json = JsonNode.Parse(next.HostConfigJson)!;
        Assert.Equal("on-failure", json["RestartPolicy"]!["Name"]!.GetValue<string>());
        Assert.Equal(3, json["RestartPolicy"]!["MaximumRetryCount"]!.GetValue<int>());
        Assert.Equal(0, json["PidsLimit"]!.GetValue<long>());
        // Untouched fields keep what the client sent.
        Assert.Equal(0, json["MemorySwap"]!.GetValue<long>());
    }

    [Fact]
    public void ZeroesLeaveSettingsAlone()
    {
        var host = new ContainerHostSettings { Memory = 67108864, MemorySwap = 134217728, CpuShares = 512, CpusetCpus = "0", BlkioWeight = 300, RestartPolicy = new RestartPolicy("always") };

        var next = UpdateMerge.Apply(Rec(host), new ContainerUpdate { RestartPolicy = new RestartPolicy("") });

        Assert.Equal(host, next.Host);
    }

    [Fact]
    public void TheLiveUpdateCarriesOnlyWhatTheRequestSets()
    {
        Assert.True(UpdateMerge.Live(new ContainerUpdate { RestartPolicy = new RestartPolicy("always") }).IsEmpty);

        var live = UpdateMerge.Live(new ContainerUpdate { Memory = 134217728, MemorySwap = -1, NanoCpus = 1500000000, PidsLimit = 0, CpusetCpus = "0" });

        Assert.Equal(134217728, live.Memory);
        Assert.Null(live.MemorySwap);
        Assert.Equal(100000UL, live.CpuPeriod);
        Assert.Equal(150000, live.CpuQuota);
        Assert.Equal(-1, live.PidsLimit);
        Assert.Equal("0", live.CpusetCpus);
        Assert.Null(live.CpuShares);

        var cfs = UpdateMerge.Live(new ContainerUpdate { CpuQuota = 50000, CpuShares = 700, BlkioWeight = 300, PidsLimit = 20 });
        Assert.Equal(50000, cfs.CpuQuota);
        Assert.Null(cfs.CpuPeriod);
        Assert.Equal(700UL, cfs.CpuShares);
        Assert.Equal((ushort)300, cfs.BlkioWeight);
        Assert.Equal(20, cfs.PidsLimit);
    }
}
