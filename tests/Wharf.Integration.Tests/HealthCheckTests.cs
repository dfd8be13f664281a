using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Health checks through the real docker CLI against a real wharfd (probes are execs in the container).</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("health"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<JsonNode?> HealthAsync(string name) => (await _d.GetJsonAsync($"/containers/{name}/json"))["State"]!["Health"];

    private async Task<JsonNode> WaitForStatusAsync(string name, string status)
    {
        JsonNode? health = null;
        for (var i = 0; i < 150; i++)
        {
            health = await HealthAsync(name);
            if (health?["Status"]?.GetValue<string>() == status)
            {
                return health!;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{name} never became {status}: {health?.ToJsonString()}");
    }

    [Fact]
    public async Task HealthGoesStartingHealthyUnhealthyWithEventsPsStatusAndFilters()
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var run = await _d.DockerAsync("run", "-d", "--name", "hc1", "--health-cmd", "echo probing; test -f /tmp/ok", "--health-interval", "300ms", "--health-retries", "2",
            // Failures before /tmp/ok exists fall in the start period and do not count, so the
            // first status change is to healthy however fast the first probes run.
            "--health-start-period", "5s", "--health-start-interval", "300ms",
            "busybox", "sh", "-c", "sleep 1; touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        await _d.DockerAsync("run", "-d", "--name", "plain", "busybox", "sleep", "300");

        var first = await HealthAsync("hc1");
        Assert.Equal("starting", first!["Status"]!.GetValue<string>());
        Assert.Contains("(health: starting)", (await _d.DockerAsync("ps", "--filter", "name=hc1", "--format", "{{.Status}}")).Stdout, StringComparison.Ordinal);

        var healthy = await WaitForStatusAsync("hc1", "healthy");
        Assert.Equal(0, healthy["FailingStreak"]!.GetValue<int>());
        var last = healthy["Log"]!.AsArray()[^1]!;
        Assert.Equal(0, last["ExitCode"]!.GetValue<int>());
        Assert.Equal("probing\n", last["Output"]!.GetValue<string>());
        Assert.Matches(@"^Up .* \(healthy\)$", (await _d.DockerAsync("ps", "--filter", "name=hc1", "--format", "{{.Status}}")).Stdout.Trim());
        Assert.Equal("hc1", (await _d.DockerAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}")).Stdout.Trim());
        Assert.Equal("plain", (await _d.DockerAsync("ps", "--filter", "health=none", "--format", "{{.Names}}")).Stdout.Trim());

        var unhealthy = await WaitForStatusAsync("hc1", "unhealthy");
        Assert.True(unhealthy["FailingStreak"]!.GetValue<int>() >= 2);
        var log = unhealthy["Log"]!.AsArray();
        Assert.InRange(log.Count, 2, 5);
        Assert.Equal(1, log[^1]!["ExitCode"]!.GetValue<int>());
        Assert.Equal("hc1", (await _d.DockerAsync("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).Stdout.Trim());
        Assert.Matches(@"^Up .* \(unhealthy\)$", (await _d.DockerAsync("ps", "--filter", "name=hc1", "--format", "{{.Status}}")).Stdout.Trim());

        // Probes are execs: they never show up in the container's log or its ExecIDs.
        Assert.Equal("", (await _d.DockerAsync("logs", "hc1")).Stdout);
        Assert.Null((await _d.GetJsonAsync("/containers/hc1/json"))["ExecIDs"]);

        var until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = await _d.DockerAsync("events", "--since", since, "--until", until, "--filter", "container=hc1", "--format", "{{.Action}}");
        var actions = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("health_status: healthy", actions);
        Assert.Contains("health_status: unhealthy", actions);
        Assert.Contains(actions, a => a == "exec_create: /bin/sh -c echo probing; test -f /tmp/ok");
        Assert.Contains("exec_die", actions);
        Assert.True(Array.IndexOf(actions, "health_status: healthy") < Array.LastIndexOf(actions, "health_status: unhealthy"), string.Join(", ", actions));

        var bad = await _d.DockerAsync("ps", "--filter", "health=bogus");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Unrecognised filter value for health: bogus", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeTimeoutKillsTheProbeAndCountsAsFailure()
    {
        var run = await _d.DockerAsync("run", "-d", "--name", "hc2", "--health-cmd", "sleep 30", "--health-interval", "200ms", "--health-timeout", "300ms", "--health-retries", "1",
            "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var health = await WaitForStatusAsync("hc2", "unhealthy");
        var entry = health["Log"]!.AsArray()[0]!;
        Assert.Equal(-1, entry["ExitCode"]!.GetValue<int>());
        Assert.Equal("Health check exceeded timeout (300ms)", entry["Output"]!.GetValue<string>());

        // Timed-out probes are killed, so they do not pile up (dockerd 20.10 left them running).
        var ps = await _d.DockerAsync("exec", "hc2", "ps", "-o", "args");
        Assert.True(ps.Stdout.Split('\n').Count(l => l.Trim() == "sleep 30") <= 1, ps.Stdout);
    }

    [Fact]
    public async Task StopLeavesUnhealthyStartResetsAndNoHealthcheckDisablesIt()
    {
        var created = await _d.DockerAsync("create", "--name", "hc3", "--health-cmd", "true", "--health-interval", "200ms", "busybox", "sleep", "300");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var config = (await _d.GetJsonAsync("/containers/hc3/json"))["Config"]!["Healthcheck"]!;
        Assert.Equal("[\"CMD-SHELL\",\"true\"]", config["Test"]!.ToJsonString());
        Assert.Equal(200_000_000, config["Interval"]!.GetValue<long>());
        // dockerd shows no Health before the first start.
        Assert.Null(await HealthAsync("hc3"));

        Assert.Equal(0, (await _d.DockerAsync("start", "hc3")).ExitCode);
        await WaitForStatusAsync("hc3", "healthy");
        Assert.Equal(0, (await _d.DockerAsync("stop", "-t", "0", "hc3")).ExitCode);
        var stopped = await HealthAsync("hc3");
        Assert.Equal("unhealthy", stopped!["Status"]!.GetValue<string>());
        Assert.Matches(@"^Exited \(137\)", (await _d.DockerAsync("ps", "-a", "--filter", "name=hc3", "--format", "{{.Status}}")).Stdout.Trim());

        Assert.Equal(0, (await _d.DockerAsync("start", "hc3")).ExitCode);
        var restarted = await HealthAsync("hc3");
        Assert.Equal("starting", restarted!["Status"]!.GetValue<string>());
        Assert.Equal(0, restarted["FailingStreak"]!.GetValue<int>());
        Assert.NotEmpty(restarted["Log"]!.AsArray());
        await WaitForStatusAsync("hc3", "healthy");

        var none = await _d.DockerAsync("run", "-d", "--name", "hc4", "--no-healthcheck", "busybox", "sleep", "300");
        Assert.True(none.ExitCode == 0, none.Stderr);
        var inspect = await _d.GetJsonAsync("/containers/hc4/json");
        Assert.Equal("[\"NONE\"]", inspect["Config"]!["Healthcheck"]!["Test"]!.ToJsonString());
        Assert.Null(inspect["State"]!["Health"]);

        var (status, body) = await _d.SendAsync(HttpMethod.Post, "/containers/create",
            System.Net.Http.Json.JsonContent.Create(new JsonObject { ["Image"] = "busybox", ["Healthcheck"] = new JsonObject { ["Test"] = new JsonArray("CMD", "true"), ["Interval"] = 100 } }));
        Assert.Equal(400, status);
        Assert.Contains("Interval in Healthcheck cannot be less than 1ms", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbesResumeAfterADaemonRestart()
    {
        var run = await _d.DockerAsync("run", "-d", "--name", "hc5", "--health-cmd", "exit 1", "--health-interval", "200ms", "--health-retries", "100", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        await Task.Delay(1000);
        await _d.StopAsync();
        await _d.StartProcessAsync();
        var before = (await HealthAsync("hc5"))!["FailingStreak"]!.GetValue<int>();
        int after = before;
        for (var i = 0; i < 50 && after <= before; i++)
        {
            await Task.Delay(100);
            after = (await HealthAsync("hc5"))!["FailingStreak"]!.GetValue<int>();
        }
        Assert.True(after > before, $"no probe after the restart (streak {before} -> {after})");
    }

    [Fact]
    public async Task WharfRunHealthFlagsMatchDockersBody()
    {
        var r = await _d.WharfAsync("run", "-d", "--name", "hc6", "--health-cmd", "true", "--health-interval", "1m30s", "--health-timeout", "2s",
            "--health-start-period", "1.5s", "--health-retries", "4", "busybox", "sleep", "300");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var h = (await _d.GetJsonAsync("/containers/hc6/json"))["Config"]!["Healthcheck"]!;
        Assert.Equal(90_000_000_000, h["Interval"]!.GetValue<long>());
        Assert.Equal(2_000_000_000, h["Timeout"]!.GetValue<long>());
        Assert.Equal(1_500_000_000, h["StartPeriod"]!.GetValue<long>());
        Assert.Equal(4, h["Retries"]!.GetValue<int>());

        var conflict = await _d.WharfAsync("run", "--no-healthcheck", "--health-cmd", "x", "busybox", "true");
        Assert.Equal(125, conflict.ExitCode);
        Assert.Contains("--no-healthcheck conflicts with --health-* options", conflict.Stderr, StringComparison.Ordinal);
        var negative = await _d.WharfAsync("create", "--health-retries", "-1", "busybox", "true");
        Assert.NotEqual(0, negative.ExitCode);
        Assert.Contains("--health-retries cannot be negative", negative.Stderr, StringComparison.Ordinal);
        var unit = await _d.WharfAsync("run", "--health-interval", "1", "busybox", "true");
        Assert.Equal(125, unit.ExitCode);
        Assert.Contains("time: missing unit in duration \"1\"", unit.Stderr, StringComparison.Ordinal);
    }
}
