using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Api.Containers;
using Wharf.Api.Exec;

namespace Wharf.Api.Tests.Containers;

/// <summary>Null vs empty vs absent as dockerd 20.10 writes them, for values Wharf builds itself.</summary>
public sealed class WireShapeTests
{
    private static readonly ContainerJsonContext Ctx = ContainerJsonContext.Wire;

    [Fact]
    public void Default_inspect_writes_nulls_and_omits_what_docker_omits()
    {
        var o = JsonNode.Parse(JsonSerializer.Serialize(new ContainerInspect(), Ctx.ContainerInspect))!.AsObject();

        Assert.False(o.ContainsKey("SizeRw"));
        Assert.False(o.ContainsKey("SizeRootFs"));
        Assert.True(o.ContainsKey("ExecIDs"));
        Assert.Null(o["ExecIDs"]);
        Assert.Empty(o["Mounts"]!.AsArray());
        Assert.False(o["State"]!.AsObject().ContainsKey("Health"));
        Assert.Equal(ContainerTimes.Zero, (string?)o["State"]!["StartedAt"]);
        var h = o["HostConfig"]!.AsObject();
        foreach (var omitted in new[] { "Tmpfs", "Init", "Annotations", "StorageOpt", "Sysctls", "Runtime", "Mounts", "KernelMemory", "KernelMemoryTCP" })
            Assert.False(h.ContainsKey(omitted), omitted);
        foreach (var nulls in new[] { "Binds", "PortBindings", "CapAdd", "Dns", "Ulimits", "MemorySwappiness", "PidsLimit", "OomKillDisable" })
            Assert.True(h.ContainsKey(nulls) && h[nulls] is null, nulls);
        Assert.Equal("[0,0]", h["ConsoleSize"]!.ToJsonString());
        Assert.Equal("{}", h["LogConfig"]!["Config"]!.ToJsonString());
    }

    [Fact]
    public void Wait_writes_error_null_and_prune_writes_null_list()
    {
        Assert.Equal("""{"Error":null,"StatusCode":3}""", JsonSerializer.Serialize(new ContainerWaitResponse { StatusCode = 3 }, Ctx.ContainerWaitResponse));
        Assert.Equal("""{"ContainersDeleted":null,"SpaceReclaimed":0}""", JsonSerializer.Serialize(new ContainersPruneResponse(), Ctx.ContainersPruneResponse));
        Assert.Equal("""{"Id":"x","Warnings":[]}""", JsonSerializer.Serialize(new ContainerCreateResponse { Id = "x" }, Ctx.ContainerCreateResponse));
    }

    [Fact]
    public void Summary_omits_zero_sizes_only_when_unset()
    {
        var o = JsonNode.Parse(JsonSerializer.Serialize(new ContainerSummary { SizeRootFs = 5 }, Ctx.ContainerSummary))!.AsObject();

        Assert.False(o.ContainsKey("SizeRw"));
        Assert.Equal(5, (long)o["SizeRootFs"]!);
        Assert.Equal("[]", o["Ports"]!.ToJsonString());
        Assert.Equal("{}", o["Labels"]!.ToJsonString());
        Assert.Equal("""{"NetworkMode":""}""", o["HostConfig"]!.ToJsonString());
    }

    [Fact]
    public void Exec_inspect_keeps_exit_code_null_and_lower_case_process_config()
    {
        var json = JsonSerializer.Serialize(new ExecInspect { Id = "e", ProcessConfig = new ExecProcessConfig { Entrypoint = "sh" } }, Ctx.ExecInspect);
        var o = JsonNode.Parse(json)!.AsObject();

        Assert.True(o.ContainsKey("ExitCode") && o["ExitCode"] is null);
        Assert.Equal("e", (string?)o["ID"]);
        Assert.Equal("""{"tty":false,"entrypoint":"sh","arguments":[]}""", o["ProcessConfig"]!.ToJsonString());
    }

    /// <summary>
    /// A cgroup v2 sample in the shape the API reference documents: no percpu_usage and no
    /// max_usage, v2 counter names in memory_stats.stats, only io_service_bytes_recursive filled,
    /// and networks present for a container with an interface.
    /// </summary>
    private const string CgroupV2Stats = """
        {"read":"2026-11-22T07:11:55.392697393Z","preread":"2026-11-22T07:11:54.384896573Z",
         "pids_stats":{"current":3,"limit":4096},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":4096},{"major":8,"minor":0,"op":"write","value":0}],
           "io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,
           "io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},
         "num_procs":0,"storage_stats":{},
         "cpu_stats":{"cpu_usage":{"total_usage":100,"usage_in_kernelmode":40,"usage_in_usermode":60},"system_cpu_usage":5494550000000,"online_cpus":2,
           "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "precpu_stats":{"cpu_usage":{"total_usage":90,"usage_in_kernelmode":35,"usage_in_usermode":55},"system_cpu_usage":5492530000000,"online_cpus":2,
           "throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},
         "memory_stats":{"usage":1032192,"stats":{"active_anon":4096,"anon":159744,"file":12288,"inactive_file":4096,"pgfault":6227},"limit":67108864},
         "name":"/c","id":"abc",
         "networks":{"eth0":{"rx_bytes":1,"rx_packets":2,"rx_errors":0,"rx_dropped":0,"tx_bytes":3,"tx_packets":4,"tx_errors":0,"tx_dropped":0}}}
        """;

    [Fact]
    public void Cgroup_v2_stats_round_trip()
    {
        var expected = JsonNode.Parse(CgroupV2Stats);
        var value = JsonSerializer.Deserialize(CgroupV2Stats, Ctx.ContainerStats)!;
        var actual = JsonNode.Parse(JsonSerializer.Serialize(value, Ctx.ContainerStats));

        Assert.Empty(JsonShape.Compare(expected, actual, strict: true));
        Assert.Null(value.CpuStats.CpuUsage.PercpuUsage);
        Assert.Null(value.MemoryStats.MaxUsage);
        Assert.Equal(159744ul, value.MemoryStats.Stats!["anon"]);
        Assert.Equal(3ul, value.Networks!["eth0"].TxBytes);
    }

    [Fact]
    public void Cgroup_v1_golden_stats_read_into_values()
    {
        var s = JsonSerializer.Deserialize(Golden.Read("container-stats.json"), Ctx.ContainerStats)!;

        Assert.Equal(100ul, s.PidsStats.Limit);
        Assert.Equal(2u, s.CpuStats.OnlineCpus);
        Assert.Equal(2, s.CpuStats.CpuUsage.PercpuUsage!.Count);
        Assert.NotNull(s.PreCpuStats.SystemCpuUsage);
        Assert.Equal(67108864ul, s.MemoryStats.Limit);
        Assert.True(s.MemoryStats.Stats!.ContainsKey("total_rss"));
        Assert.Null(s.Networks);
        Assert.Equal("/golden-full", s.Name);
    }
}
