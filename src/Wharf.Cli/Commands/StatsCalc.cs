using System.Text.Json.Nodes;

namespace Wharf.Cli.Commands;

/// <summary>
/// docker's stats arithmetic (cli/command/container/stats_helpers.go) over one sample of
/// <c>GET /containers/{id}/stats</c>: CPU % from the change since precpu, memory without the
/// inactive page cache, block I/O and network totals.
/// </summary>
internal static class StatsCalc
{
    public static StatsEntry Entry(string container, JsonObject v)
    {
        var cpu = v["cpu_stats"];
        var memory = v["memory_stats"] as JsonObject;
        var mem = MemUsageNoCache(memory);
        var limit = (double)U(memory?["limit"]);
        var (rx, tx) = Network(v["networks"] as JsonObject);
        var (read, write) = BlockIo(v["blkio_stats"]?["io_service_bytes_recursive"] as JsonArray);
        return new StatsEntry
        {
            Container = container,
            Name = S(v["name"]),
            Id = S(v["id"]),
            CpuPercentage = CpuPercent(
                U(v["precpu_stats"]?["cpu_usage"]?["total_usage"]),
                U(v["precpu_stats"]?["system_cpu_usage"]),
                U(cpu?["cpu_usage"]?["total_usage"]),
                U(cpu?["system_cpu_usage"]),
                (uint)U(cpu?["online_cpus"]),
                (cpu?["cpu_usage"]?["percpu_usage"] as JsonArray)?.Count ?? 0),
            Memory = mem,
            MemoryLimit = limit,
            MemoryPercentage = limit != 0 ? mem / limit * 100.0 : 0,
            NetworkRx = rx,
            NetworkTx = tx,
            BlockRead = read,
            BlockWrite = write,
            PidsCurrent = U(v["pids_stats"]?["current"]),
        };
    }

    /// <summary>
    /// The container's share of all CPU time between two samples, scaled by the number of CPUs
    /// (so one busy core of four is 100 %). Zero when either delta is not positive.
    /// </summary>
    public static double CpuPercent(ulong previousCpu, ulong previousSystem, ulong totalUsage, ulong systemUsage, uint onlineCpus, int perCpuCount)
    {
        var cpuDelta = (double)totalUsage - previousCpu;
        var systemDelta = (double)systemUsage - previousSystem;
        double online = onlineCpus;
        if (online == 0.0)
        {
            online = perCpuCount;
        }

        return systemDelta > 0.0 && cpuDelta > 0.0 ? cpuDelta / systemDelta * online * 100.0 : 0.0;
    }

    /// <summary>Usage minus inactive file pages: total_inactive_file on cgroup v1, inactive_file on v2.</summary>
    public static double MemUsageNoCache(JsonObject? memory)
    {
        var usage = U(memory?["usage"]);
        var stats = memory?["stats"] as JsonObject;
        if (stats is not null && stats.TryGetPropertyValue("total_inactive_file", out var v1) && U(v1) < usage)
        {
            return usage - U(v1);
        }

        var v2 = U(stats?["inactive_file"]);
        return v2 < usage ? usage - v2 : usage;
    }

    /// <summary>Bytes read and written: the io_service_bytes entries whose op starts with r/R or w/W.</summary>
    public static (ulong Read, ulong Write) BlockIo(JsonArray? entries)
    {
        ulong read = 0, write = 0;
        foreach (var e in entries ?? [])
        {
            var op = S(e?["op"]);
            if (op.Length == 0)
            {
                continue;
            }

            switch (op[0])
            {
                case 'r' or 'R':
                    read += U(e?["value"]);
                    break;
                case 'w' or 'W':
                    write += U(e?["value"]);
                    break;
            }
        }

        return (read, write);
    }

    public static (double Rx, double Tx) Network(JsonObject? networks)
    {
        double rx = 0, tx = 0;
        foreach (var (_, n) in networks ?? [])
        {
            rx += U(n?["rx_bytes"]);
            tx += U(n?["tx_bytes"]);
        }

        return (rx, tx);
    }

    private static ulong U(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<ulong>(out var u) => u,
        JsonValue v when v.TryGetValue<long>(out var l) && l >= 0 => (ulong)l,
        JsonValue v when v.TryGetValue<int>(out var i) && i >= 0 => (ulong)i,
        _ => 0,
    };

    private static string S(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
