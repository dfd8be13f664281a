using System.Text.Json.Nodes;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Folds a validated update into a container's HostConfig as moby's Container.UpdateContainer
/// does: non-zero values replace stored ones, CPU settings may not mix NanoCpus with a CFS
/// period/quota already set, and a memory limit above the stored memory+swap needs a new swap.
/// </summary>
internal static class UpdateMerge
{
    private const long NanoCpusPeriod = 100_000;

    public static ContainerRecord Apply(ContainerRecord rec, ContainerUpdate u)
    {
        var h = rec.Host;
        WharfException Conflict(string message) => WharfException.Conflict($"Cannot update container {rec.Id}: {message}");

        if (u.NanoCpus > 0 && h.CpuPeriod > 0)
        {
            throw Conflict("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        }

        if (u.NanoCpus > 0 && h.CpuQuota > 0)
        {
            throw Conflict("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        }

        if (u.CpuPeriod > 0 && h.NanoCpus > 0)
        {
            throw Conflict("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        }

        if (u.CpuQuota > 0 && h.NanoCpus > 0)
        {
            throw Conflict("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");
        }

        var swap = StoredSwap(h);
        if (u.Memory != 0 && u.Memory > swap && u.MemorySwap == 0)
        {
            throw Conflict("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }

        var policy = h.RestartPolicy;
        if (u.RestartPolicy is { Name.Length: > 0 } p)
        {
            if (h.AutoRemove && p.Name != "no")
            {
                throw Conflict("Restart policy cannot be updated because AutoRemove is enabled for the container");
            }

            policy = p;
        }

        var host = h with
        {
            BlkioWeight = u.BlkioWeight != 0 ? u.BlkioWeight : h.BlkioWeight,
            CpuShares = u.CpuShares != 0 ? u.CpuShares : h.CpuShares,
            NanoCpus = u.NanoCpus != 0 ? u.NanoCpus : h.NanoCpus,
            CpuPeriod = u.CpuPeriod != 0 ? u.CpuPeriod : h.CpuPeriod,
            CpuQuota = u.CpuQuota != 0 ? u.CpuQuota : h.CpuQuota,
            CpuRealtimePeriod = u.CpuRealtimePeriod != 0 ? u.CpuRealtimePeriod : h.CpuRealtimePeriod,
            CpuRealtimeRuntime = u.CpuRealtimeRuntime != 0 ? u.CpuRealtimeRuntime : h.CpuRealtimeRuntime,
            CpusetCpus = u.CpusetCpus.Length > 0 ? u.CpusetCpus : h.CpusetCpus,
            CpusetMems = u.CpusetMems.Length > 0 ? u.CpusetMems : h.CpusetMems,
            Memory = u.Memory != 0 ? u.Memory : h.Memory,
            MemorySwap = u.MemorySwap != 0 ? u.MemorySwap : swap,
            MemoryReservation = u.MemoryReservation != 0 ? u.MemoryReservation : h.MemoryReservation,
            PidsLimit = u.PidsLimit ?? h.PidsLimit,
            RestartPolicy = policy,
        };
        return rec with { Host = host, HostConfigJson = PatchJson(rec.HostConfigJson, host, u) };
    }

    /// <summary>
    /// The memory+swap Docker has stored: at create it fills twice the memory limit when only the
    /// memory was given, so a container created with -m 64m has 128m here even if the request said 0.
    /// </summary>
    public static long StoredSwap(ContainerHostSettings h) => h.MemorySwap == 0 && h.Memory > 0 ? h.Memory * 2 : h.MemorySwap;

    /// <summary>The request's cgroup settings for runc (containerd's toContainerdResources: the request, not the merge).</summary>
    public static LiveResourceUpdate Live(ContainerUpdate u)
    {
        ulong? period = null;
        long? quota = null;
        if (u.NanoCpus != 0)
        {
            period = NanoCpusPeriod;
            quota = u.NanoCpus * NanoCpusPeriod / 1_000_000_000;
        }
        else
        {
            period = u.CpuPeriod != 0 ? (ulong)u.CpuPeriod : null;
            quota = u.CpuQuota != 0 ? u.CpuQuota : null;
        }

        return new LiveResourceUpdate
        {
            Memory = u.Memory != 0 ? u.Memory : null,
            MemoryReservation = u.MemoryReservation != 0 ? u.MemoryReservation : null,
            MemorySwap = u.MemorySwap > 0 ? u.MemorySwap : null,
            CpuShares = u.CpuShares != 0 ? unchecked((ulong)u.CpuShares) : null,
            CpuPeriod = period,
            CpuQuota = quota,
            CpuRealtimePeriod = u.CpuRealtimePeriod != 0 ? (ulong)u.CpuRealtimePeriod : null,
            CpuRealtimeRuntime = u.CpuRealtimeRuntime != 0 ? u.CpuRealtimeRuntime : null,
            CpusetCpus = u.CpusetCpus.Length > 0 ? u.CpusetCpus : null,
            CpusetMems = u.CpusetMems.Length > 0 ? u.CpusetMems : null,
            // runc wants -1 for "no limit"; the API's 0 means the same.
            PidsLimit = u.PidsLimit is { } pids ? (pids <= 0 ? -1 : pids) : null,
            BlkioWeight = u.BlkioWeight != 0 ? (ushort)u.BlkioWeight : null,
        };
    }

    /// <summary>
    /// Writes the values the request changed into the stored HostConfig JSON, which inspect shows;
    /// memory+swap is written with the memory limit so the stored pair stays consistent.
    /// </summary>
    private static string PatchJson(string json, ContainerHostSettings h, ContainerUpdate u)
    {
        var o = (JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject) ?? [];
        void Set(bool changed, string key, JsonNode? value)
        {
            if (changed)
            {
                o[key] = value;
            }
        }

        Set(u.Memory != 0, "Memory", h.Memory);
        Set(u.Memory != 0 || u.MemorySwap != 0, "MemorySwap", h.MemorySwap);
        Set(u.MemoryReservation != 0, "MemoryReservation", h.MemoryReservation);
        Set(u.KernelMemory != 0, "KernelMemory", u.KernelMemory);
        Set(u.NanoCpus != 0, "NanoCpus", h.NanoCpus);
        Set(u.CpuShares != 0, "CpuShares", h.CpuShares);
        Set(u.CpuPeriod != 0, "CpuPeriod", h.CpuPeriod);
        Set(u.CpuQuota != 0, "CpuQuota", h.CpuQuota);
        Set(u.CpuRealtimePeriod != 0, "CpuRealtimePeriod", h.CpuRealtimePeriod);
        Set(u.CpuRealtimeRuntime != 0, "CpuRealtimeRuntime", h.CpuRealtimeRuntime);
        Set(u.CpusetCpus.Length > 0, "CpusetCpus", h.CpusetCpus);
        Set(u.CpusetMems.Length > 0, "CpusetMems", h.CpusetMems);
        Set(u.BlkioWeight != 0, "BlkioWeight", h.BlkioWeight);
        Set(u.PidsLimit is not null, "PidsLimit", u.PidsLimit);
        if (u.RestartPolicy is { Name.Length: > 0 } p)
        {
            o["RestartPolicy"] = new JsonObject { ["Name"] = p.Name, ["MaximumRetryCount"] = p.MaximumRetryCount };
        }

        return o.ToJsonString();
    }
}
