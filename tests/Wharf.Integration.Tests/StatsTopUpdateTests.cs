using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>stats, top and update through the real docker CLI and wharf against a real wharfd, checked against the kernel's cgroup files.</summary>
public sealed class StatsTopUpdateTests : IAsyncLifetime
{
    private const long Mi = 1024 * 1024;
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("stats"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A running container whose processes are "sh -c ..." and "sleep 300".</summary>
    private async Task<(string Name, string Id)> RunSleeperAsync(params string[] options)
    {
        var name = Unique("st");
        var r = await _d.DockerAsync(["run", "-d", "--name", name, "--network", "none", .. options, "busybox", "sh", "-c", "sleep 300 & wait"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return (name, r.Stdout.Trim());
    }

    private async Task<JsonNode> InspectAsync(string name) => JsonNode.Parse((await _d.DockerAsync("inspect", name)).Stdout)!.AsArray()[0]!;

    private async Task<int> PidAsync(string name) => (await InspectAsync(name))["State"]!["Pid"]!.GetValue<int>();

    /// <summary>A cgroup file of the container's init, wherever the runtime put it (v1 controller or unified).</summary>
    private static string CgroupFile(int pid, string v1Controller, string v1File, string v2File)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/cgroup").Select(l => l.Split(':', 3)).ToList();
        var v1 = lines.FirstOrDefault(l => l[1].Split(',').Contains(v1Controller));
        if (v1 is not null && Directory.Exists("/sys/fs/cgroup/" + v1Controller))
        {
            return File.ReadAllText($"/sys/fs/cgroup/{v1Controller}{v1[2]}/{v1File}").Trim();
        }

        return File.ReadAllText($"/sys/fs/cgroup{lines.First(l => l[0] == "0")[2]}/{v2File}").Trim();
    }

    [Fact]
    public async Task DockerStatsNoStreamShowsTheMemoryLimitSetWithM()
    {
        var (name, id) = await RunSleeperAsync("-m", "64m");

        var table = await _d.DockerAsync("stats", "--no-stream", name);
        Assert.True(table.ExitCode == 0, table.Stderr);
        var lines = table.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"], lines[0].Split("   ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(id[..12] + "   " + name, lines[1], StringComparison.Ordinal);
        Assert.Contains(" / 64MiB", lines[1], StringComparison.Ordinal);

        var fields = (await _d.DockerAsync("stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.NetIO}}|{{.PIDs}}", name)).Stdout.Trim().Split('|');
        Assert.Equal(name, fields[0]);
        Assert.EndsWith(" / 64MiB", fields[1], StringComparison.Ordinal);
        Assert.Equal("0B / 0B", fields[2]);
        Assert.Equal("2", fields[3]);

        // Like dockerd, a memory limit alone is stored with memory+swap at twice the limit.
        Assert.Equal("134217728", (await _d.DockerAsync("inspect", "-f", "{{.HostConfig.MemorySwap}}", name)).Stdout.Trim());

        // wharf shows the same row shape.
        var wharf = await _d.WharfAsync("stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.PIDs}}", name);
        Assert.True(wharf.ExitCode == 0, wharf.Stderr);
        Assert.Matches($"^{name}\\|[0-9.]+[KMG]?i?B / 64MiB\\|2$", wharf.Stdout.Trim());
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task StatsJsonHasDockersFieldsAndMatchesTheCgroup()
    {
        var (name, id) = await RunSleeperAsync("-m", "64m", "--pids-limit", "50");
        var pid = await PidAsync(name);

        var stats = await _d.GetJsonAsync($"/containers/{name}/stats?stream=0");

        Assert.Equal(["read", "preread", "pids_stats", "blkio_stats", "num_procs", "storage_stats", "cpu_stats", "precpu_stats", "memory_stats", "name", "id"], stats.AsObject().Select(kv => kv.Key));
        Assert.Equal("/" + name, stats["name"]!.GetValue<string>());
        Assert.Equal(id, stats["id"]!.GetValue<string>());
        var read = DateTimeOffset.Parse(stats["read"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var preread = DateTimeOffset.Parse(stats["preread"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((read - preread).TotalSeconds, 0.5, 5);
        Assert.True(stats["cpu_stats"]!["system_cpu_usage"]!.GetValue<ulong>() > stats["precpu_stats"]!["system_cpu_usage"]!.GetValue<ulong>());
        Assert.Equal((ulong)Environment.ProcessorCount, stats["cpu_stats"]!["online_cpus"]!.GetValue<ulong>());
        Assert.True(stats["cpu_stats"]!["cpu_usage"]!["total_usage"]!.GetValue<ulong>() > 0);
        Assert.Equal(64UL * 1024 * 1024, stats["memory_stats"]!["limit"]!.GetValue<ulong>());
        Assert.Equal(ulong.Parse(CgroupFile(pid, "memory", "memory.limit_in_bytes", "memory.max"), System.Globalization.CultureInfo.InvariantCulture), stats["memory_stats"]!["limit"]!.GetValue<ulong>());
        Assert.True(stats["memory_stats"]!["usage"]!.GetValue<ulong>() > 0);
        Assert.Equal(2UL, stats["pids_stats"]!["current"]!.GetValue<ulong>());
        Assert.Equal(50UL, stats["pids_stats"]!["limit"]!.GetValue<ulong>());
        Assert.Equal("Array", JsonValueKind(stats["blkio_stats"]!["io_service_bytes_recursive"]));
        // --network none: Docker leaves "networks" out.
        Assert.False(stats.AsObject().ContainsKey("networks"));

        var oneShot = await _d.GetJsonAsync($"/containers/{name}/stats?stream=0&one-shot=1");
        Assert.Equal("0001-01-01T00:00:00Z", oneShot["preread"]!.GetValue<string>());
        Assert.False(oneShot["precpu_stats"]!.AsObject().ContainsKey("system_cpu_usage"));
        Assert.Equal(0UL, oneShot["precpu_stats"]!["cpu_usage"]!["total_usage"]!.GetValue<ulong>());

        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
    }

    private static string JsonValueKind(JsonNode? node) => node?.GetValueKind().ToString() ?? "null";

    [Fact]
    public async Task StreamingSendsOneSamplePerSecondWithThePreviousAsPrecpu()
    {
        var (name, _) = await RunSleeperAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await _d.Client.GetAsync($"/containers/{name}/stats", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
        var second = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
        var third = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;

        Assert.Equal("0001-01-01T00:00:00Z", first["preread"]!.GetValue<string>());
        Assert.Equal(first["read"]!.GetValue<string>(), second["preread"]!.GetValue<string>());
        Assert.Equal(second["read"]!.GetValue<string>(), third["preread"]!.GetValue<string>());
        Assert.Equal(second["cpu_stats"]!["system_cpu_usage"]!.GetValue<ulong>(), third["precpu_stats"]!["system_cpu_usage"]!.GetValue<ulong>());
        var gap = DateTimeOffset.Parse(third["read"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.Parse(second["read"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(gap.TotalSeconds, 0.8, 3);
        await cts.CancelAsync();
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task AStoppedContainerHasTheEmptySample()
    {
        var name = Unique("st-exited");
        Assert.Equal(0, (await _d.DockerAsync("run", "--name", name, "--network", "none", "busybox", "true")).ExitCode);

        var stats = await _d.GetJsonAsync($"/containers/{name}/stats?stream=0");

        Assert.Equal("0001-01-01T00:00:00Z", stats["read"]!.GetValue<string>());
        Assert.Equal("{}", stats["memory_stats"]!.ToJsonString());
        Assert.Equal("{}", stats["pids_stats"]!.ToJsonString());
        Assert.Null(stats["blkio_stats"]!["io_service_bytes_recursive"]);
        var row = await _d.DockerAsync("stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}", name);
        Assert.Equal($"{name}|0.00%|0B / 0B|0", row.Stdout.Trim());

        var (status, body) = await _d.SendAsync(HttpMethod.Get, "/containers/nosuchcontainer/stats?stream=0");
        Assert.Equal(404, status);
        Assert.Equal("""{"message":"No such container: nosuchcontainer"}""", body.Trim());
        var missing = await _d.DockerAsync("stats", "--no-stream", "nosuchcontainer");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error response from daemon: No such container: nosuchcontainer", missing.Stderr.Trim());
        var wharfMissing = await _d.WharfAsync("stats", "--no-stream", "nosuchcontainer");
        Assert.Equal(1, wharfMissing.ExitCode);
        Assert.Equal(missing.Stderr.Trim(), wharfMissing.Stderr.Trim());
        Assert.Equal(0, (await _d.DockerAsync("rm", name)).ExitCode);
    }

    [Fact]
    public async Task TopListsTheContainersProcessesAndHonoursPsArguments()
    {
        var (name, _) = await RunSleeperAsync();
        var pid = await PidAsync(name);

        var top = await _d.DockerAsync("top", name);
        Assert.True(top.ExitCode == 0, top.Stderr);
        var lines = top.Stdout.TrimEnd().Split('\n');
        Assert.StartsWith("UID                 PID                 PPID", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.EndsWith("sleep 300", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var custom = await _d.DockerAsync("top", name, "-o", "pid,comm");
        Assert.True(custom.ExitCode == 0, custom.Stderr);
        var rows = custom.Stdout.TrimEnd().Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["PID", "COMMAND"], rows[0]);
        Assert.Equal([[pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "sh"]], rows.Skip(1).Where(r => r[1] == "sh"));
        Assert.Single(rows, r => r[1] == "sleep");

        var wharf = await _d.WharfAsync("top", name, "-o", "pid,comm");
        Assert.Equal(custom.Stdout, wharf.Stdout);

        var api = await _d.GetJsonAsync($"/containers/{name}/top?ps_args=-o%20pid,comm");
        Assert.Equal("""["PID","COMMAND"]""", api["Titles"]!.ToJsonString());
        Assert.Equal(2, api["Processes"]!.AsArray().Count);

        var bad = await _d.DockerAsync("top", name, "--bogus");
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("Error response from daemon: ps: ", bad.Stderr.Trim(), StringComparison.Ordinal);
        var (status, body) = await _d.SendAsync(HttpMethod.Get, $"/containers/{name}/top?ps_args=-o%20comm");
        Assert.Equal(500, status);
        Assert.Equal("""{"message":"Couldn't find PID field in ps output"}""", body.Trim());
        (status, body) = await _d.SendAsync(HttpMethod.Get, $"/containers/{name}/top?ps_args=-o%20user=PID");
        Assert.Equal(500, status);
        Assert.Equal("""{"message":"specifying \"user=PID\" is not allowed"}""", body.Trim());

        Assert.Equal(0, (await _d.DockerAsync("stop", "-t", "0", name)).ExitCode);
        var stopped = await _d.DockerAsync("top", name);
        Assert.Equal(1, stopped.ExitCode);
        var id = (await InspectAsync(name))["Id"]!.GetValue<string>();
        Assert.Equal($"Error response from daemon: Container {id} is not running", stopped.Stderr.Trim());
        Assert.Equal(0, (await _d.DockerAsync("rm", name)).ExitCode);
    }

    [Fact]
    public async Task UpdateChangesTheMemoryLimitOfARunningContainerAndKeepsIt()
    {
        var (name, _) = await RunSleeperAsync("-m", "64m");
        var pid = await PidAsync(name);
        Assert.Equal((64 * Mi).ToString(System.Globalization.CultureInfo.InvariantCulture), CgroupFile(pid, "memory", "memory.limit_in_bytes", "memory.max"));

        var r = await _d.DockerAsync("update", "-m", "128m", "--memory-swap", "256m", name);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(name, r.Stdout.Trim());

        Assert.Equal((128 * Mi).ToString(System.Globalization.CultureInfo.InvariantCulture), CgroupFile(pid, "memory", "memory.limit_in_bytes", "memory.max"));
        var host = (await InspectAsync(name))["HostConfig"]!;
        Assert.Equal(128 * Mi, host["Memory"]!.GetValue<long>());
        Assert.Equal(256 * Mi, host["MemorySwap"]!.GetValue<long>());
        Assert.EndsWith(" / 128MiB", (await _d.DockerAsync("stats", "--no-stream", "--format", "{{.MemUsage}}", name)).Stdout.Trim(), StringComparison.Ordinal);

        // wharf update: CPU quota and pids limit, applied at once.
        var w = await _d.WharfAsync("update", "--cpus", "0.5", "--pids-limit", "20", name);
        Assert.True(w.ExitCode == 0, w.Stderr);
        Assert.Equal(name, w.Stdout.Trim());
        Assert.Equal("50000", CgroupFile(pid, "cpu", "cpu.cfs_quota_us", "cpu.max").Split(' ')[0]);
        Assert.Equal("20", CgroupFile(pid, "pids", "pids.max", "pids.max"));

        // A restart of the container re-applies the stored limits to the new cgroup.
        Assert.Equal(0, (await _d.DockerAsync("restart", "-t", "0", name)).ExitCode);
        var newPid = await PidAsync(name);
        Assert.NotEqual(pid, newPid);
        Assert.Equal((128 * Mi).ToString(System.Globalization.CultureInfo.InvariantCulture), CgroupFile(newPid, "memory", "memory.limit_in_bytes", "memory.max"));
        Assert.Equal("20", CgroupFile(newPid, "pids", "pids.max", "pids.max"));

        // And so does a restart of wharfd.
        await _d.StopAsync();
        await _d.StartProcessAsync();
        host = (await InspectAsync(name))["HostConfig"]!;
        Assert.Equal(128 * Mi, host["Memory"]!.GetValue<long>());
        Assert.Equal(500000000, host["NanoCpus"]!.GetValue<long>());
        Assert.Equal(20, host["PidsLimit"]!.GetValue<long>());
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task UpdateChangesTheRestartPolicyAndTheContainerIsRestarted()
    {
        var name = Unique("st-restart");
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", name, "--network", "none", "busybox", "sh", "-c", "sleep 1; exit 3")).ExitCode);

        var r = await _d.DockerAsync("update", "--restart", "on-failure:2", name);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var policy = (await InspectAsync(name))["HostConfig"]!["RestartPolicy"]!;
        Assert.Equal("on-failure", policy["Name"]!.GetValue<string>());
        Assert.Equal(2, policy["MaximumRetryCount"]!.GetValue<int>());

        Assert.Equal(0, (await _d.DockerAsync("start", name)).ExitCode);
        var restarts = 0;
        for (var i = 0; i < 100 && restarts < 1; i++)
        {
            await Task.Delay(200);
            restarts = (await InspectAsync(name))["RestartCount"]!.GetValue<int>();
        }

        Assert.True(restarts >= 1, "the on-failure policy set by update did not restart the container");
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task UpdateErrorsAreDockers()
    {
        var (name, _) = await RunSleeperAsync("-m", "64m");
        var (plain, plainId) = await RunSleeperAsync();

        var tiny = await _d.DockerAsync("update", "-m", "1000", name);
        Assert.Equal(1, tiny.ExitCode);
        Assert.Equal("Error response from daemon: Minimum memory limit allowed is 6MB", tiny.Stderr.Trim());

        var swap = await _d.DockerAsync("update", "-m", "64m", "--memory-swap", "32m", name);
        Assert.Equal("Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage", swap.Stderr.Trim());

        var above = await _d.DockerAsync("update", "-m", "100m", plain);
        Assert.Equal($"Error response from daemon: Cannot update container {plainId}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", above.Stderr.Trim());

        var missing = await _d.DockerAsync("update", "--cpu-shares", "512", name, "nosuchcontainer");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(name, missing.Stdout.Trim());
        Assert.Equal("Error response from daemon: No such container: nosuchcontainer", missing.Stderr.Trim());

        var bogus = await _d.DockerAsync("update", "--restart", "bogus", name);
        Assert.Equal("Error response from daemon: invalid restart policy 'bogus'", bogus.Stderr.Trim());

        var rm = Unique("st-rm");
        Assert.Equal(0, (await _d.DockerAsync("run", "-d", "--rm", "--name", rm, "--network", "none", "busybox", "sleep", "300")).ExitCode);
        var rmId = (await InspectAsync(rm))["Id"]!.GetValue<string>();
        var (status, body) = await _d.SendAsync(HttpMethod.Post, $"/containers/{rm}/update", new StringContent("""{"RestartPolicy":{"Name":"always"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(409, status);
        Assert.Equal($$"""{"message":"Cannot update container {{rmId}}: Restart policy cannot be updated because AutoRemove is enabled for the container"}""", body.Trim());
        (status, _) = await _d.SendAsync(HttpMethod.Post, $"/containers/{rm}/update", new StringContent("""{"RestartPolicy":{"Name":"no"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, status);

        (status, body) = await _d.SendAsync(HttpMethod.Post, $"/containers/{name}/update", new StringContent("""{"Memory":""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, status);
        Assert.StartsWith("""{"message":"invalid JSON""", body, StringComparison.Ordinal);
        (status, body) = await _d.SendAsync(HttpMethod.Post, $"/containers/{name}/update", new StringContent("""{"CpuShares":512}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, status);
        Assert.Equal("""{"Warnings":null}""", body.Trim());

        // Nothing of the refused requests was kept.
        var host = (await InspectAsync(name))["HostConfig"]!;
        Assert.Equal(64 * Mi, host["Memory"]!.GetValue<long>());
        Assert.Equal(512, host["CpuShares"]!.GetValue<long>());
        Assert.Equal(0L, (await InspectAsync(plain))["HostConfig"]!["Memory"]!.GetValue<long>());

        var wharfTiny = await _d.WharfAsync("update", "-m", "1000", name);
        Assert.Equal(1, wharfTiny.ExitCode);
        Assert.Equal(tiny.Stderr.Trim(), wharfTiny.Stderr.Trim());
        var wharfNone = await _d.WharfAsync("update", name);
        Assert.Equal(1, wharfNone.ExitCode);
        Assert.Equal("you must provide one or more flags when using this command", wharfNone.Stderr.Trim());

        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name, plain, rm)).ExitCode);
    }
}
