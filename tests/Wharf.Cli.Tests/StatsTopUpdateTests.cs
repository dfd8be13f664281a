using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;
using Wharf.Cli.Formatting;

namespace Wharf.Cli.Tests;

public sealed class StatsTopUpdateTests
{
    private static readonly string Golden = FindGolden();

    private static JsonObject GoldenJson(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(Golden, relative)))!.AsObject();

    [Fact]
    public void CpuPercentIsTheShareOfHostTimeScaledByOnlineCpus()
    {
        // tests/golden/dockerd-20.10/containers/container-stats.json: precpu 303864431 / 5492530000000, cpu 335022289 / 5494550000000, 2 CPUs.
        var pct = StatsCalc.CpuPercent(303864431, 5492530000000, 335022289, 5494550000000, 2, 2);

        Assert.Equal((335022289.0 - 303864431) / (5494550000000.0 - 5492530000000) * 2 * 100, pct, 10);
        Assert.Equal("3.08%", StatsRows.Percent(pct));
    }

    [Theory]
    [InlineData(100UL, 1000UL, 100UL, 2000UL, 2U, 0, 0.0)]
    [InlineData(200UL, 1000UL, 100UL, 2000UL, 2U, 0, 0.0)]
    [InlineData(100UL, 2000UL, 200UL, 2000UL, 2U, 0, 0.0)]
    [InlineData(0UL, 0UL, 50UL, 1000UL, 0U, 4, 20.0)]
    [InlineData(0UL, 0UL, 500UL, 1000UL, 1U, 4, 50.0)]
    public void CpuPercentEdgeCases(ulong prevCpu, ulong prevSys, ulong cpu, ulong sys, uint online, int perCpu, double expected) =>
        Assert.Equal(expected, StatsCalc.CpuPercent(prevCpu, prevSys, cpu, sys, online, perCpu), 10);

    [Fact]
    public void MemoryLeavesOutInactiveFilePages()
    {
        var v1 = new JsonObject { ["usage"] = 1000, ["stats"] = new JsonObject { ["total_inactive_file"] = 300, ["inactive_file"] = 900 } };
        var v2 = new JsonObject { ["usage"] = 1000, ["stats"] = new JsonObject { ["inactive_file"] = 400 } };
        var big = new JsonObject { ["usage"] = 1000, ["stats"] = new JsonObject { ["total_inactive_file"] = 5000 } };

        Assert.Equal(700, StatsCalc.MemUsageNoCache(v1));
        Assert.Equal(600, StatsCalc.MemUsageNoCache(v2));
        Assert.Equal(1000, StatsCalc.MemUsageNoCache(big));
        Assert.Equal(0, StatsCalc.MemUsageNoCache(null));
    }

    [Fact]
    public void BlockIoCountsReadsAndWritesByTheOpsFirstLetter()
    {
        var entries = JsonNode.Parse("""
            [{"op":"Read","value":10},{"op":"Write","value":5},{"op":"Total","value":15},{"op":"read","value":1},{"op":"write","value":2},{"op":"","value":99}]
            """)!.AsArray();

        Assert.Equal((11UL, 7UL), StatsCalc.BlockIo(entries));
    }

    [Fact]
    public void ARunningContainerRowFromDockerdsSample()
    {
        var entry = StatsCalc.Entry("st-mem", GoldenJson("stats/stats-memlimit.json"));
        var row = StatsRows.Row(entry, trunc: true).Fields;

        Assert.Equal("st-mem", row["Name"]!.GetValue<string>());
        Assert.Equal("a9aae80c84af", row["ID"]!.GetValue<string>());
        Assert.Equal("456KiB / 64MiB", row["MemUsage"]!.GetValue<string>());
        Assert.Equal("0.70%", row["MemPerc"]!.GetValue<string>());
        Assert.Equal("0.00%", row["CPUPerc"]!.GetValue<string>());
        Assert.Equal("0B / 0B", row["NetIO"]!.GetValue<string>());
        Assert.Equal("0B / 0B", row["BlockIO"]!.GetValue<string>());
        Assert.Equal("2", row["PIDs"]!.GetValue<string>());
    }

    [Fact]
    public void AStoppedContainerRowMatchesTheDockerCli()
    {
        // tests/golden/dockerd-20.10/stats/cli/stats-format-fields.txt, second line.
        var expected = File.ReadAllLines(Path.Combine(Golden, "stats/cli/stats-format-fields.txt"))[1];
        var entry = StatsCalc.Entry("st-stopped", GoldenJson("stats/stats-exited.json") is var o ? Renamed(o, "/st-stopped", "992f38b05273e9f2a23489134a3ed92692438e54e47ae29bf6c7689dcf195721") : null!);

        var text = OutputFormat.Render("{{.Container}}|{{.Name}}|{{.ID}}|{{.CPUPerc}}|{{.MemUsage}}|{{.MemPerc}}|{{.NetIO}}|{{.BlockIO}}|{{.PIDs}}", [StatsRows.Row(entry, true)], StatsRows.Header);

        Assert.Equal(expected + "\n", text);
    }

    [Fact]
    public void JsonFormatHasDockersKeysInOrder()
    {
        var expected = File.ReadAllLines(Path.Combine(Golden, "stats/cli/stats-json.txt"))[0];
        var entry = new StatsEntry { Container = "st-mem", Name = "/st-mem", Id = "a9aae80c84afbb513956acd6cd85e94452df8ed9686bbc31270833b329907467", Memory = 456 * 1024, MemoryLimit = 6 * 1024 * 1024, MemoryPercentage = 456.0 * 1024 / (6 * 1024 * 1024) * 100, PidsCurrent = 2 };

        Assert.Equal(expected + "\n", OutputFormat.Render("json", [StatsRows.Row(entry, true)], StatsRows.Header));
    }

    [Fact]
    public void TheDefaultTableHeaderAndAnInvalidRow()
    {
        var text = OutputFormat.Render(StatsRows.DefaultTable, [StatsRows.Row(new StatsEntry { Container = "x", Name = "/x", Id = "0123456789abcdef", IsInvalid = true }, true)], StatsRows.Header);
        var lines = text.Split('\n');

        Assert.Equal("CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS", lines[0]);
        Assert.Equal("0123456789ab   x         --        -- / --             --        --        --          --", lines[1]);
    }

    [Fact]
    public void ALiveFrameRedrawsInPlace()
    {
        Assert.Equal("\u001b[Ha\u001b[K\nb\u001b[K\n\u001b[K\n\u001b[J", StatsCommand.Frame("a\nb\n"));
    }

    [Fact]
    public void TopTableMatchesTheDockerCli()
    {
        var expected = string.Join("\n", File.ReadAllLines(Path.Combine(Golden, "stats/cli/top.txt")).Where(l => !l.StartsWith("exit=", StringComparison.Ordinal))) + "\n";

        Assert.Equal(expected, TopCommand.Table(GoldenJson("stats/top-default.json")));
    }

    [Fact]
    public void UpdateBodyFromFlags()
    {
        var spec = new UpdateCommand().Spec;
        var (flags, _) = ArgParser.Parse(spec.Flags, ["-m", "128m", "--memory-swap", "-1", "--cpus", "1.5", "--pids-limit", "-1", "--restart", "on-failure:3", "-c", "700", "--cpuset-cpus", "0", "x"], true);

        var body = UpdateCommand.Body(flags);

        Assert.Equal(134217728, body["Memory"]!.GetValue<long>());
        Assert.Equal(-1, body["MemorySwap"]!.GetValue<long>());
        Assert.Equal(1500000000, body["NanoCpus"]!.GetValue<long>());
        Assert.Equal(-1, body["PidsLimit"]!.GetValue<long>());
        Assert.Equal(700, body["CpuShares"]!.GetValue<long>());
        Assert.Equal("0", body["CpusetCpus"]!.GetValue<string>());
        Assert.Equal("on-failure", body["RestartPolicy"]!["Name"]!.GetValue<string>());
        Assert.Equal(3, body["RestartPolicy"]!["MaximumRetryCount"]!.GetValue<int>());
        Assert.Null(body["BlkioWeight"]);
    }

    [Fact]
    public void UpdateNeedsAFlagAndValidNumbers()
    {
        var spec = new UpdateCommand().Spec;
        var none = Assert.Throws<CliErrorException>(() => UpdateCommand.Body(ArgParser.Parse(spec.Flags, ["x"], true).Flags));
        Assert.Equal("you must provide one or more flags when using this command", none.Message);

        var bad = Assert.Throws<UsageException>(() => UpdateCommand.Body(ArgParser.Parse(spec.Flags, ["--blkio-weight", "70000", "x"], true).Flags));
        Assert.Equal("invalid argument \"70000\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range", bad.Message);

        var size = Assert.Throws<UsageException>(() => UpdateCommand.Body(ArgParser.Parse(spec.Flags, ["--memory-reservation", "lots", "x"], true).Flags));
        Assert.Equal("invalid argument \"lots\" for \"--memory-reservation\" flag: invalid size: 'lots'", size.Message);

        // --pids-limit 0 means "not given", as in the docker CLI.
        Assert.Null(UpdateCommand.Body(ArgParser.Parse(spec.Flags, ["--pids-limit", "0", "x"], true).Flags)["PidsLimit"]);
    }

    private static JsonObject Renamed(JsonObject o, string name, string id)
    {
        o["name"] = name;
        o["id"] = id;
        return o;
    }

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
