using Wharf.Core.Errors;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// HostConfig resources to spec cgroup settings (moby getMemoryResources / getCPUResources /
/// getPidsLimit), after Docker's create-time checks and defaults (swap = 2 x memory).
/// </summary>
internal static class ResourceMapper
{
    private const long MinMemory = 6 * 1024 * 1024;

    /// <summary>The CFS period Docker uses for <c>--cpus</c>: 100 ms in microseconds.</summary>
    public const ulong NanoCpusPeriod = 100_000;

    public static void Validate(ContainerResources r)
    {
        if (r.Memory != 0 && r.Memory < MinMemory)
        {
            throw WharfException.Invalid("Minimum memory limit allowed is 6MB");
        }
        if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory)
        {
            throw WharfException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (r.Memory == 0 && r.MemorySwap > 0)
        {
            throw WharfException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (r.MemorySwappiness is { } sw && sw != -1 && sw is < 0 or > 100)
        {
            throw WharfException.Invalid($"Invalid value: {sw}, valid memory swappiness range is 0-100");
        }
        if (r.MemoryReservation > 0 && r.MemoryReservation < MinMemory)
        {
            throw WharfException.Invalid("Minimum memory reservation allowed is 6MB");
        }
        if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation)
        {
            throw WharfException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (r.NanoCpus > 0 && r.CpuPeriod > 0)
        {
            throw WharfException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (r.NanoCpus > 0 && r.CpuQuota > 0)
        {
            throw WharfException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (r.CpuPeriod != 0 && r.CpuPeriod is < 1000 or > 1_000_000)
        {
            throw WharfException.Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (r.CpuQuota > 0 && r.CpuQuota < 1000)
        {
            throw WharfException.Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (r.CpuShares < 0)
        {
            throw WharfException.Invalid($"invalid CPU shares ({r.CpuShares}): value must be a positive integer");
        }
        if (r.BlkioWeight > 0 && r.BlkioWeight is < 10 or > 1000)
        {
            throw WharfException.Invalid("Range of blkio weight is from 10 to 1000");
        }
    }

    public static LinuxMemory? Memory(ContainerResources r)
    {
        // Docker fills MemorySwap = 2 x Memory at create when only Memory is given.
        var swap = r.Memory > 0 && r.MemorySwap == 0 ? r.Memory * 2 : r.MemorySwap;
        var memory = new LinuxMemory
        {
            Limit = r.Memory > 0 ? r.Memory : null,
            Reservation = r.MemoryReservation > 0 ? r.MemoryReservation : null,
            Swap = swap > 0 ? swap : null,
            Swappiness = r.MemorySwappiness is { } sw && sw >= 0 ? (ulong)sw : null,
            DisableOomKiller = r.OomKillDisable,
        };
        return memory == new LinuxMemory() ? null : memory;
    }

    public static LinuxCpu? Cpu(ContainerResources r)
    {
        ulong? period = null;
        long? quota = null;
        if (r.NanoCpus > 0)
        {
            period = NanoCpusPeriod;
            quota = r.NanoCpus * (long)NanoCpusPeriod / 1_000_000_000;
        }
        if (r.CpuPeriod != 0)
        {
            period = (ulong)r.CpuPeriod;
        }
        if (r.CpuQuota != 0)
        {
            quota = r.CpuQuota;
        }
        var cpu = new LinuxCpu
        {
            Shares = r.CpuShares != 0 ? (ulong)r.CpuShares : null,
            Quota = quota,
            Period = period,
            RealtimeRuntime = r.CpuRealtimeRuntime != 0 ? r.CpuRealtimeRuntime : null,
            RealtimePeriod = r.CpuRealtimePeriod != 0 ? (ulong)r.CpuRealtimePeriod : null,
            Cpus = r.CpusetCpus.Length > 0 ? r.CpusetCpus : null,
            Mems = r.CpusetMems.Length > 0 ? r.CpusetMems : null,
        };
        return cpu == new LinuxCpu() ? null : cpu;
    }

    /// <summary>Docker's API lets 0 and negatives mean unlimited; runc wants -1 for that.</summary>
    public static LinuxPids? Pids(ContainerResources r) => r.PidsLimit switch
    {
        null => null,
        <= 0 => new LinuxPids { Limit = -1 },
        { } n => new LinuxPids { Limit = n },
    };

    /// <summary>Docker always writes a blockIO object, with a weight only when one is set.</summary>
    public static LinuxBlockIo BlockIo(ContainerResources r) => new() { Weight = r.BlkioWeight != 0 ? r.BlkioWeight : null };
}
