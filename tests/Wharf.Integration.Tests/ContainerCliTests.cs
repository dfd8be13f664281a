using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Containers through the real docker CLI against a real wharfd, runc and wharf-shim.</summary>
public sealed class ContainerCliTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("containers"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task RunPrintsOutputReturnsTheExitCodeAndRemovesWithRm()
    {
        var r = await _d.DockerAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out", r.Stdout.Trim());
        Assert.Equal("err", r.Stderr.Trim());
        for (var i = 0; i < 50 && (await _d.DockerAsync("ps", "-aq")).Stdout.Trim().Length > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("", (await _d.DockerAsync("ps", "-aq")).Stdout.Trim());
    }

    [Fact]
    public async Task StdinReachesTheContainer()
    {
        var input = Path.Combine(_d.Dir, "stdin.txt");
        await File.WriteAllTextAsync(input, "hello through stdin\n");
        var r = await _d.DockerWithStdinAsync(input, "run", "-i", "--rm", "busybox", "cat");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("hello through stdin", r.Stdout.Trim());
    }

    [Fact]
    public async Task DetachedLifecycleStopStartRemove()
    {
        var run = await _d.DockerAsync("run", "-d", "--name", "sleeper", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        var ps = await _d.DockerAsync("ps", "--format", "{{.Names}} {{.Status}}");
        Assert.StartsWith("sleeper Up", ps.Stdout.Trim());
        var state = JsonNode.Parse((await _d.DockerAsync("inspect", "sleeper")).Stdout)!.AsArray()[0]!["State"]!;
        Assert.True(state["Running"]!.GetValue<bool>());
        Assert.True(state["Pid"]!.GetValue<int>() > 0);

        var rm = await _d.DockerAsync("rm", "sleeper");
        Assert.NotEqual(0, rm.ExitCode);
        Assert.Contains("You cannot remove a running container", rm.Stderr, StringComparison.Ordinal);

        // sleep as PID 1 ignores SIGTERM, so stop ends with SIGKILL after the timeout: 137.
        Assert.Equal(0, (await _d.DockerAsync("stop", "-t", "1", "sleeper")).ExitCode);
        Assert.Equal("exited 137", (await _d.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "sleeper")).Stdout.Trim());
        Assert.DoesNotContain(File.ReadAllText("/proc/mounts").Split('\n'), l => l.Contains(id, StringComparison.Ordinal));

        Assert.Equal(0, (await _d.DockerAsync("start", "sleeper")).ExitCode);
        Assert.Equal("running", (await _d.DockerAsync("inspect", "-f", "{{.State.Status}}", "sleeper")).Stdout.Trim());
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", "sleeper")).ExitCode);
        Assert.Equal("", (await _d.DockerAsync("ps", "-aq")).Stdout.Trim());
        Assert.DoesNotContain(File.ReadAllText("/proc/mounts").Split('\n'), l => l.Contains(id, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_d.Dir, "exec", "containers", id)));
        Assert.False(Directory.Exists(Path.Combine(_d.Dir, "exec", "runc", id)));
    }

    [Fact]
    public async Task DnsFlagsAreWrittenIntoResolvConfAsDockerWritesThem()
    {
        var r = await _d.DockerAsync("run", "--rm", "--network", "none", "--dns", "192.0.2.53", "--dns-search", "a.example", "--dns-search", "b.example", "--dns-option", "ndots:2", "busybox", "cat", "/etc/resolv.conf");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["search a.example b.example", "nameserver 192.0.2.53", "options ndots:2"], r.Stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task LogsAndWait()
    {
        var id = (await _d.DockerAsync("run", "-d", "busybox", "sh", "-c", "echo first; echo second >&2; exit 4")).Stdout.Trim();
        var wait = await _d.DockerAsync("wait", id);
        Assert.Equal("4", wait.Stdout.Trim());
        var logs = await _d.DockerAsync("logs", id);
        Assert.Equal("first", logs.Stdout.Trim());
        Assert.Equal("second", logs.Stderr.Trim());
        var tail = await _d.DockerAsync("logs", "--tail", "1", "-t", id);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z second$", tail.Stderr.Trim());
        Assert.Equal("", tail.Stdout.Trim());
        var ps = await _d.DockerAsync("ps", "-a", "--filter", "exited=4", "-q", "--no-trunc");
        Assert.Equal(id, ps.Stdout.Trim());
    }

    [Fact]
    public async Task ErrorsAreDockers()
    {
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", "taken", "busybox", "true")).ExitCode);
        var dup = await _d.DockerAsync("create", "--name", "taken", "busybox", "true");
        Assert.Contains("is already in use by container", dup.Stderr, StringComparison.Ordinal);
        var kill = await _d.DockerAsync("kill", "taken");
        Assert.Contains("is not running", kill.Stderr, StringComparison.Ordinal);
        var mem = await _d.DockerAsync("create", "-m", "1m", "busybox", "true");
        Assert.Contains("Minimum memory limit allowed is 6MB", mem.Stderr, StringComparison.Ordinal);
        var policy = await _d.DockerAsync("create", "--restart", "always", "--rm", "busybox", "true");
        Assert.NotEqual(0, policy.ExitCode);
        var missing = await _d.DockerAsync("start", "nosuchcontainer");
        Assert.Contains("No such container: nosuchcontainer", missing.Stderr, StringComparison.Ordinal);
        var rmi = await _d.DockerAsync("rmi", "busybox");
        Assert.Contains("container", rmi.Stderr, StringComparison.Ordinal);
        Assert.Contains("is using its referenced image", rmi.Stderr, StringComparison.Ordinal);
        var badCmd = await _d.DockerAsync("run", "--rm", "busybox", "/no/such/binary");
        Assert.NotEqual(0, badCmd.ExitCode);
        Assert.Contains("no such file or directory", badCmd.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ContainersSurviveADaemonKillAndExitsAreRecorded()
    {
        var keeps = (await _d.DockerAsync("run", "-d", "busybox", "sleep", "300")).Stdout.Trim();
        var exits = (await _d.DockerAsync("run", "-d", "busybox", "sh", "-c", "echo before; sleep 1; echo during; exit 5")).Stdout.Trim();
        await _d.KillAsync();
        await Task.Delay(2500);
        await _d.StartProcessAsync();

        Assert.Equal("running", (await _d.DockerAsync("inspect", "-f", "{{.State.Status}}", keeps)).Stdout.Trim());
        Assert.Equal("exited 5", (await _d.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", exits)).Stdout.Trim());
        var logs = await _d.DockerAsync("logs", exits);
        Assert.Equal("before\nduring", logs.Stdout.Trim());
        Assert.Equal(0, (await _d.DockerAsync("kill", keeps)).ExitCode);
        Assert.Equal("137", (await _d.DockerAsync("wait", keeps)).Stdout.Trim());
    }

    [Fact]
    public async Task InitForwardsSignalsAndReapsAsPid1()
    {
        var id = (await _d.DockerAsync("run", "-d", "--init", "busybox", "sleep", "300")).Stdout.Trim();
        var top = await _d.DockerAsync("inspect", "-f", "{{.Path}} {{.State.Status}}", id);
        Assert.Equal("sleep running", top.Stdout.Trim());
        // Without --init, sleep as PID 1 ignores SIGTERM; tini passes it on, so stop is quick.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, (await _d.DockerAsync("stop", "-t", "20", id)).ExitCode);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"stop took {sw.Elapsed}");
        Assert.Equal("143", (await _d.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", id)).Stdout.Trim());
    }

    [Fact]
    public async Task EventsTellTheLifecycle()
    {
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var id = (await _d.DockerAsync("run", "-d", "--name", "evented", "busybox", "true")).Stdout.Trim();
        await _d.DockerAsync("wait", id);
        await _d.DockerAsync("rm", id);
        var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var ev = await _d.DockerAsync("events", "--since", since.ToString(System.Globalization.CultureInfo.InvariantCulture), "--until", until.ToString(System.Globalization.CultureInfo.InvariantCulture), "--filter", "type=container", "--format", "{{.Action}}");
        Assert.Equal(["create", "start", "die", "destroy"], ev.Stdout.Trim().Split('\n'));
    }
}
