using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Docker's checks of an update request before it looks at the container (moby
/// validateRestartPolicy and verifyPlatformContainerResources with update=true): bad values are
/// 400s, settings the host cannot apply are dropped with a warning.
/// </summary>
internal static class UpdateValidation
{
    private const long MinMemory = 6 * 1024 * 1024;

    public static (ContainerUpdate Update, List<string> Warnings) Validate(ContainerUpdate u, CgroupHostInfo host)
    {
        var warnings = new List<string>();
        ValidateRestartPolicy(u.RestartPolicy);

        if (u.MemorySwappiness == -1)
        {
            u = u with { MemorySwappiness = null };
        }

        if (u.Memory != 0 && u.Memory < MinMemory)
        {
            throw WharfException.Invalid("Minimum memory limit allowed is 6MB");
        }

        if (u.Memory > 0 && u.MemorySwap != -1 && !host.SwapLimit)
        {
            warnings.Add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            u = u with { MemorySwap = -1 };
        }

        if (u.Memory > 0 && u.MemorySwap > 0 && u.MemorySwap < u.Memory)
        {
            throw WharfException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }

        if (u.MemorySwappiness is { } sw && sw is < 0 or > 100)
        {
            throw WharfException.Invalid($"Invalid value: {sw}, valid memory swappiness range is 0-100");
        }

        if (u.MemoryReservation > 0 && u.MemoryReservation < MinMemory)
        {
            throw WharfException.Invalid("Minimum memory reservation allowed is 6MB");
        }

        if (u.Memory > 0 && u.MemoryReservation > 0 && u.Memory < u.MemoryReservation)
        {
            throw WharfException.Invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }

        if (u.KernelMemory > 0)
        {
            warnings.Add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
            if (!host.KernelMemory)
            {
                warnings.Add("Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
                u = u with { KernelMemory = 0 };
            }
            else if (u.KernelMemory < MinMemory)
            {
                throw WharfException.Invalid("Minimum kernel memory limit allowed is 4MB");
            }
        }

        if (u.OomKillDisable == true && u.Memory == 0)
        {
            warnings.Add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        }

        ValidateCpu(u, host);
        if (u.CpuPercent > 0)
        {
            warnings.Add("linux does not support CPU percent. Percent discarded.");
            u = u with { CpuPercent = 0 };
        }

        u = ValidateCpuset(u, host, warnings);

        if (u.BlkioWeight > 0 && !host.BlkioWeight)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            u = u with { BlkioWeight = 0 };
        }

        if (u.BlkioWeight > 0 && u.BlkioWeight is < 10 or > 1000)
        {
            throw WharfException.Invalid("Range of blkio weight is from 10 to 1000");
        }

        if (u.IOMaximumBandwidth != 0 || u.IOMaximumIOps != 0)
        {
            throw WharfException.Invalid("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        }

        ValidateRealtime(u.CpuRealtimePeriod, u.CpuRealtimeRuntime, host.CpuRealtime);

        return (u, warnings);
    }

    /// <summary>
    /// moby validateResources (runconfig, 20.10 wording), for create and update: real-time settings
    /// need the v1 cpu controller's rt files, and the runtime must fit in the period.
    /// </summary>
    public static void ValidateRealtime(long period, long runtime, bool hostSupportsRealtime)
    {
        if ((period != 0 || runtime != 0) && !hostSupportsRealtime)
        {
            throw WharfException.Invalid("Your kernel does not support CPU real-time scheduler");
        }

        if (period != 0 && runtime != 0 && runtime > period)
        {
            throw WharfException.Invalid("cpu real-time runtime cannot be higher than cpu real-time period");
        }
    }

    /// <summary>moby validateRestartPolicy (20.10 wording).</summary>
    public static void ValidateRestartPolicy(RestartPolicy? policy)
    {
        switch (policy?.Name)
        {
            case null or "":
                return;
            case "always" or "unless-stopped" or "no":
                if (policy.MaximumRetryCount != 0)
                {
                    throw WharfException.Invalid($"maximum retry count cannot be used with restart policy '{policy.Name}'");
                }

                return;
            case "on-failure":
                if (policy.MaximumRetryCount < 0)
                {
                    throw WharfException.Invalid("maximum retry count cannot be negative");
                }

                return;
            default:
                throw WharfException.Invalid($"invalid restart policy '{policy.Name}'");
        }
    }

    private static void ValidateCpu(ContainerUpdate u, CgroupHostInfo host)
    {
        if (u.NanoCpus > 0 && u.CpuPeriod > 0)
        {
            throw WharfException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }

        if (u.NanoCpus > 0 && u.CpuQuota > 0)
        {
            throw WharfException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }

        if (u.NanoCpus < 0 || u.NanoCpus > host.NumCpus * 1_000_000_000L)
        {
            throw WharfException.Invalid($"Range of CPUs is from 0.01 to {host.NumCpus}.00, as there are only {host.NumCpus} CPUs available");
        }

        if (u.CpuPeriod != 0 && u.CpuPeriod is < 1000 or > 1_000_000)
        {
            throw WharfException.Invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }

        if (u.CpuQuota > 0 && u.CpuQuota < 1000)
        {
            throw WharfException.Invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
    }

    private static ContainerUpdate ValidateCpuset(ContainerUpdate u, CgroupHostInfo host, List<string> warnings)
    {
        if ((u.CpusetCpus.Length > 0 || u.CpusetMems.Length > 0) && host.Cpus.Length == 0)
        {
            warnings.Add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            return u with { CpusetCpus = "", CpusetMems = "" };
        }

        Check(u.CpusetCpus, host.Cpus, "cpus", "CPUs");
        Check(u.CpusetMems, host.Mems, "mems", "memory nodes");
        return u;

        static void Check(string requested, string available, string what, string noun)
        {
            bool ok;
            try
            {
                ok = CpuList.IsAvailable(requested, available);
            }
            catch (FormatException e)
            {
                throw WharfException.Invalid($"Invalid value {requested} for cpuset {what}: {e.Message}");
            }

            if (!ok)
            {
                throw WharfException.Invalid($"Requested {noun} are not available - requested {requested}, available: {available}");
            }
        }
    }
}
