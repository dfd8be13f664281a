using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Api.Containers;
using Wharf.Api.Server.Containers;
using Wharf.Core.Containers.Stats;

namespace Wharf.Api.Server.Tests;

/// <summary>The stats JSON against dockerd's recordings: same keys, same order, same null/empty/absent.</summary>
public sealed class StatsMapperTests
{
    private static readonly string Golden = FindGolden();

    private static JsonObject Wire(ContainerStatsFrame frame) =>
        JsonNode.Parse(JsonSerializer.Serialize(StatsMapper.ToWire(frame), ContainerJsonContext.Wire.ContainerStats))!.AsObject();

    private static JsonObject GoldenJson(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(Golden, relative)))!.AsObject();

    private static ResourceSample V1Sample(DateTimeOffset read, ulong total) => new()
    {
        Read = read,
        Cpu = new CpuSample { TotalUsage = total, PerCpu = [total / 2, total - (total / 2)], KernelMode = 10, UserMode = 20, SystemUsage = 5494550000000, OnlineCpus = 2, ThrottlingPeriods = 23 },
        Memory = new MemorySample { Usage = 1032192, MaxUsage = 4210688, Limit = 67108864, Stats = GoldenJson("containers/container-stats.json")["memory_stats"]!["stats"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<ulong>()) },
        Pids = new PidsSample(3, 100),
        Blkio = new BlkioSample { IoServiceBytesRecursive = [], IoServicedRecursive = [], IoQueueRecursive = [], IoServiceTimeRecursive = [], IoWaitTimeRecursive = [], IoMergedRecursive = [], IoTimeRecursive = [], SectorsRecursive = [] },
    };

    [Fact]
    public void ARunningV1SampleHasDockerdsShape()
    {
        var t = new DateTimeOffset(2026, 11, 22, 7, 11, 55, TimeSpan.Zero);
        var wire = Wire(new ContainerStatsFrame("d917631136b3cdcce3e5690c46ab3b9b54f49503f56e56ed5f20b15d5bbaf737", "/golden-full", V1Sample(t, 335022289), V1Sample(t.AddSeconds(-1), 303864431)));

        Assert.Equal(Shape(GoldenJson("containers/container-stats.json")), Shape(wire));
        Assert.Equal("2026-11-22T07:11:55.000000000Z", wire["read"]!.GetValue<string>());
        Assert.Equal(67108864UL, wire["memory_stats"]!["limit"]!.GetValue<ulong>());
        // Go writes map keys sorted.
        Assert.Equal(wire["memory_stats"]!["stats"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal), wire["memory_stats"]!["stats"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public void TheFirstStreamedFrameHasAnEmptyPrecpu()
    {
        var wire = Wire(new ContainerStatsFrame("id", "/st-mem", V1Sample(DateTimeOffset.UnixEpoch, 1), null));
        var golden = JsonNode.Parse(File.ReadAllLines(Path.Combine(Golden, "stats/stats-stream.jsonl"))[0])!.AsObject();

        Assert.Equal(Shape(golden["precpu_stats"]!), Shape(wire["precpu_stats"]!));
        Assert.Equal("0001-01-01T00:00:00Z", wire["preread"]!.GetValue<string>());
    }

    [Fact]
    public void AStoppedContainerIsTheEmptyObject()
    {
        var golden = GoldenJson("containers/container-stats-exited.json");
        var wire = Wire(new ContainerStatsFrame(golden["id"]!.GetValue<string>(), golden["name"]!.GetValue<string>(), null, null));

        Assert.Equal(golden.ToJsonString(), wire.ToJsonString());
    }

    [Fact]
    public void AV2SampleLeavesOutPerCpuMaxUsageAndTheOtherBlkioLists()
    {
        var sample = new ResourceSample
        {
            Read = DateTimeOffset.UnixEpoch,
            Cpu = new CpuSample { TotalUsage = 53431000, SystemUsage = 1, OnlineCpus = 4 },
            Memory = new MemorySample { Usage = 1290240, Limit = 67108864, Failcnt = 1, Stats = new Dictionary<string, ulong> { ["anon"] = 1, ["file"] = 2 } },
            Pids = new PidsSample(3, 0),
            Blkio = new BlkioSample { IoServiceBytesRecursive = [new BlkioEntry(254, 0, "read", 7)] },
            Networks = new Dictionary<string, NetworkSample> { ["eth0"] = new() { RxBytes = 5296, TxBytes = 1064 } },
        };

        var wire = Wire(new ContainerStatsFrame("id", "/c", sample, null));

        Assert.Null(wire["cpu_stats"]!["cpu_usage"]!["percpu_usage"]);
        Assert.False(wire["cpu_stats"]!["cpu_usage"]!.AsObject().ContainsKey("percpu_usage"));
        Assert.False(wire["memory_stats"]!.AsObject().ContainsKey("max_usage"));
        Assert.Equal(1UL, wire["memory_stats"]!["failcnt"]!.GetValue<ulong>());
        Assert.Equal("""{"current":3}""", wire["pids_stats"]!.ToJsonString());
        Assert.Equal("""[{"major":254,"minor":0,"op":"read","value":7}]""", wire["blkio_stats"]!["io_service_bytes_recursive"]!.ToJsonString());
        Assert.True(wire["blkio_stats"]!.AsObject().ContainsKey("sectors_recursive"));
        Assert.Null(wire["blkio_stats"]!["sectors_recursive"]);
        Assert.Equal(5296UL, wire["networks"]!["eth0"]!["rx_bytes"]!.GetValue<ulong>());
        Assert.Equal(8, wire["networks"]!["eth0"]!.AsObject().Count);
    }

    /// <summary>Keys in order with the JSON kind of each value, recursively; arrays by their first element.</summary>
    private static string Shape(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.Select(kv => kv.Key + ":" + (kv.Key == "stats" ? "map" : Shape(kv.Value)))) + "}",
        JsonArray a => "[" + (a.Count > 0 ? Shape(a[0]) : "") + "]",
        JsonValue v => v.GetValueKind().ToString(),
        _ => "?",
    };

    private static string FindGolden()
    {
        var relative = Path.Combine("tests", "golden", "dockerd-20.10");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(relative);
    }
}
