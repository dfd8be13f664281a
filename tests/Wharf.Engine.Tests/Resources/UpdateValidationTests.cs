using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests.Resources;

/// <summary>Each request is one dockerd 20.10 answered with 400 (tests/golden/dockerd-20.10/stats/errors).</summary>
public sealed class UpdateValidationTests
{
    /// <summary>This machine as dockerd saw it: 2 CPUs, one memory node, swap accounting, no blkio weight.</summary>
    private static readonly CgroupHostInfo Host = new() { SwapLimit = true, KernelMemory = true, BlkioWeight = false, CpuRealtime = true, Cpus = "0-1", Mems = "0", NumCpus = 2 };

    public static TheoryData<string, ContainerUpdate> Rejected() => new()
    {
        { "update-tiny-memory", new ContainerUpdate { Memory = 1000 } },
        { "update-negative-memory", new ContainerUpdate { Memory = -5 } },
        { "update-swap-below-memory", new ContainerUpdate { Memory = 67108864, MemorySwap = 33554432 } },
        { "update-tiny-reservation", new ContainerUpdate { MemoryReservation = 1000 } },
        { "update-swappiness", new ContainerUpdate { MemorySwappiness = 200 } },
        { "update-restart-bogus", new ContainerUpdate { RestartPolicy = new RestartPolicy("bogus") } },
        { "update-restart-always-count", new ContainerUpdate { RestartPolicy = new RestartPolicy("always", 2) } },
        { "update-nano-and-period", new ContainerUpdate { NanoCpus = 500000000, CpuPeriod = 50000 } },
        { "update-nano-too-many", new ContainerUpdate { NanoCpus = 64000000000 } },
        { "update-bad-period", new ContainerUpdate { CpuPeriod = 500 } },
        { "update-bad-quota", new ContainerUpdate { CpuQuota = 500 } },
        { "update-cpuset-unavailable", new ContainerUpdate { CpusetCpus = "7" } },
        { "update-cpuset-invalid", new ContainerUpdate { CpusetCpus = "abc" } },
        { "update-cpuset-mems-unavailable", new ContainerUpdate { CpusetMems = "3" } },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void RejectsLikeDockerd(string golden, ContainerUpdate update)
    {
        var (status, message) = StatsGolden.Error(golden);
        Assert.Equal(400, status);

        var e = Assert.Throws<WharfException>(() => UpdateValidation.Validate(update, Host));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AnUnsupportedBlkioWeightIsDroppedWithDockersWarningEvenWhenOutOfRange()
    {
        var (status, warnings) = StatsGolden.Error("update-bad-blkio");
        Assert.Equal(200, status);

        var (u, w) = UpdateValidation.Validate(new ContainerUpdate { BlkioWeight = 5 }, Host);

        Assert.Equal(0, u.BlkioWeight);
        Assert.Equal($"[\"{Assert.Single(w)}\"]", warnings);
    }

    [Fact]
    public void ASupportedBlkioWeightMustBeInRange()
    {
        var e = Assert.Throws<WharfException>(() => UpdateValidation.Validate(new ContainerUpdate { BlkioWeight = 5 }, Host with { BlkioWeight = true }));

        Assert.Equal("Range of blkio weight is from 10 to 1000", e.Message);
        Assert.Equal(300, UpdateValidation.Validate(new ContainerUpdate { BlkioWeight = 300 }, Host with { BlkioWeight = true }).Update.BlkioWeight);
    }

    [Fact]
    public void KernelMemoryIsDeprecatedAndDroppedWithoutKmem()
    {
        var (_, w) = UpdateValidation.Validate(new ContainerUpdate { KernelMemory = 67108864 }, Host);
        Assert.Equal(["Specifying a kernel memory limit is deprecated and will be removed in a future release."], w);

        var (u, w2) = UpdateValidation.Validate(new ContainerUpdate { KernelMemory = 67108864 }, Host with { KernelMemory = false });
        Assert.Equal(0, u.KernelMemory);
        Assert.Equal(2, w2.Count);
    }

    [Fact]
    public void WithoutSwapAccountingMemoryIsLimitedWithoutSwap()
    {
        var (u, w) = UpdateValidation.Validate(new ContainerUpdate { Memory = 67108864, MemorySwap = 134217728 }, Host with { SwapLimit = false });

        Assert.Equal(-1, u.MemorySwap);
        Assert.Contains("Memory limited without swap", Assert.Single(w), StringComparison.Ordinal);
    }

    [Fact]
    public void AReservationAboveTheStoredLimitIsNotCheckedAgainstIt()
    {
        // dockerd answered 200: only the request's own Memory is compared.
        Assert.Equal(200, StatsGolden.Error("update-reservation-above-memory").Status);

        var (u, w) = UpdateValidation.Validate(new ContainerUpdate { MemoryReservation = 1073741824 }, Host);

        Assert.Equal(1073741824, u.MemoryReservation);
        Assert.Empty(w);
    }

    [Fact]
    public void ValidRequestsPassUnchanged()
    {
        var update = new ContainerUpdate { Memory = 134217728, MemorySwap = 268435456, CpuShares = 512, CpuQuota = 50000, CpuPeriod = 100000, PidsLimit = 20, CpusetCpus = "0", RestartPolicy = new RestartPolicy("on-failure", 3) };

        var (u, w) = UpdateValidation.Validate(update, Host);

        Assert.Equal(update, u);
        Assert.Empty(w);
    }
}
