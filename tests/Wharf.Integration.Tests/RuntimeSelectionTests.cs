using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// OCI runtimes as dockerd configures them: daemon.json <c>runtimes</c> and <c>default-runtime</c>,
/// HostConfig.Runtime per container (<c>docker run --runtime</c>), and crun, which refuses this
/// hybrid cgroup host on its own, running containers through wharf-shim's cgroup v1 view with
/// the same cgroups, limits and lifecycle as runc, without changing the host's mounts.
/// </summary>
public sealed class RuntimeSelectionTests : IAsyncLifetime
{
    private const string MemoryRoot = "/sys/fs/cgroup/memory";
    private WharfDaemon? _d;

    private WharfDaemon D => _d!;

    public async Task InitializeAsync()
    {
        // "fast" is crun under a name of the test's choosing, found on PATH, and the default.
        _d = await WharfDaemon.StartWithConfigAsync(parent =>
            $$$"""{"cgroup-parent":"{{{parent}}}","runtimes":{"fast":{"path":"crun"}},"default-runtime":"fast"}""");
        await _d.ImportAsync(Tars.Busybox("rt"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync()
    {
        if (_d is not null)
        {
            var parent = Path.Combine(MemoryRoot, _d.CgroupParent);
            await _d.DisposeAsync();
            Assert.False(Directory.Exists(parent) && Directory.EnumerateDirectories(parent).Any(), "container cgroups are left behind");
        }
    }

    private static string Unique() => "rts-" + Guid.NewGuid().ToString("N")[..8];

    private string RuntimeRoot(string name) => Path.Combine(D.Dir, "exec", name == "runc" ? "runc" : "runtime-" + name);

    private static int Cgroup2Mounts() =>
        File.ReadLines("/proc/self/mountinfo").Count(l => l.Contains(" - cgroup2 ", StringComparison.Ordinal));

    [Fact]
    public async Task InfoListsTheConfiguredRuntimesAndTheDefault()
    {
        var info = await D.GetJsonAsync("/info");
        Assert.Equal("fast", (string?)info["DefaultRuntime"]);
        var runtimes = info["Runtimes"]!.AsObject();
        Assert.Equal("runc", (string?)runtimes["runc"]!["path"]);
        // A relative path is looked up on PATH when the daemon starts.
        Assert.Equal("/usr/bin/crun", (string?)runtimes["fast"]!["path"]);
        Assert.True(runtimes.ContainsKey("crun"), info["Runtimes"]!.ToJsonString());

        var shown = await D.DockerAsync("info", "--format", "{{.DefaultRuntime}}");
        Assert.Equal("fast", shown.Stdout.Trim());
    }

    [Fact]
    public async Task UnknownRuntimeIsRefusedWithDockersMessageAndCreatesNothing()
    {
        var before = (await D.DockerAsync("ps", "-aq")).Stdout;
        var name = Unique();
        var run = await D.DockerAsync("run", "--name", name, "--runtime", "nope", "--network", "none", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Unknown runtime specified nope", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, (await D.DockerAsync("ps", "-aq")).Stdout);

        var (status, body) = await D.SendAsync(HttpMethod.Post, "/containers/create",
            new StringContent("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"Runtime":"nope","NetworkMode":"none"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, status);
        Assert.Equal("Unknown runtime specified nope", (string?)JsonNode.Parse(body)!["message"]);
    }

    [Fact]
    public async Task DefaultRuntimeAndRuncSideBySideKeepTheirOwnStateRoots()
    {
        var viaDefault = Unique();
        var viaRunc = Unique();
        var a = await D.DockerAsync("run", "-d", "--name", viaDefault, "--network", "none", "busybox", "sleep", "300");
        Assert.True(a.ExitCode == 0, a.Stderr + D.Log);
        var b = await D.DockerAsync("run", "-d", "--name", viaRunc, "--runtime", "runc", "--network", "none", "busybox", "sleep", "300");
        Assert.True(b.ExitCode == 0, b.Stderr + D.Log);
        var idA = a.Stdout.Trim();
        var idB = b.Stdout.Trim();

        Assert.Equal("fast", (await D.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", viaDefault)).Stdout.Trim());
        Assert.Equal("runc", (await D.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", viaRunc)).Stdout.Trim());
        // crun keeps a "status" file, runc a "state.json": each container is in its runtime's own root.
        Assert.True(File.Exists(Path.Combine(RuntimeRoot("fast"), idA, "status")), "crun state of the default-runtime container");
        Assert.True(File.Exists(Path.Combine(RuntimeRoot("runc"), idB, "state.json")), "runc state of the runc container");
        Assert.False(Directory.Exists(Path.Combine(RuntimeRoot("runc"), idA)));

        Assert.Equal(0, (await D.DockerAsync("rm", "-f", viaDefault, viaRunc)).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(RuntimeRoot("fast"), idA)), "crun state left behind");
        Assert.False(Directory.Exists(Path.Combine(RuntimeRoot("runc"), idB)), "runc state left behind");
    }

    [Fact]
    public async Task CrunRunsTheWholeLifecycleWithLimitsAndLeavesTheHostsCgroupMountsAlone()
    {
        var mountsBefore = Cgroup2Mounts();
        var name = Unique();
        var echo = await D.DockerAsync("run", "--rm", "--runtime", "crun", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, echo.ExitCode);
        Assert.Equal("out", echo.Stdout.Trim());
        Assert.Equal("err", echo.Stderr.Trim());

        var run = await D.DockerAsync("run", "-d", "--name", name, "--runtime", "crun", "--network", "none", "-m", "64m", "--pids-limit", "20",
            "busybox", "sh", "-c", "echo started; exec sleep 300");
        Assert.True(run.ExitCode == 0, run.Stderr + D.Log);
        var id = run.Stdout.Trim();
        var memory = Path.Combine(MemoryRoot, D.CgroupParent, id);
        Assert.Equal((64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(memory, "memory.limit_in_bytes")).Trim());
        Assert.Equal("20", File.ReadAllText(Path.Combine("/sys/fs/cgroup/pids", D.CgroupParent, id, "pids.max")).Trim());
        Assert.Equal("running", (await D.DockerAsync("inspect", "-f", "{{.State.Status}}", name)).Stdout.Trim());

        var exec = await D.DockerAsync("exec", name, "sh", "-c", "echo in-exec; cat /proc/1/cmdline | tr '\\0' ' '");
        Assert.True(exec.ExitCode == 0, exec.Stderr + D.Log);
        Assert.Equal("in-exec\nsleep 300", exec.Stdout.Trim());

        Assert.Equal(0, (await D.DockerAsync("pause", name)).ExitCode);
        Assert.Equal("FROZEN", File.ReadAllText(Path.Combine("/sys/fs/cgroup/freezer", D.CgroupParent, id, "freezer.state")).Trim());
        Assert.Equal(0, (await D.DockerAsync("unpause", name)).ExitCode);
        Assert.Equal("THAWED", File.ReadAllText(Path.Combine("/sys/fs/cgroup/freezer", D.CgroupParent, id, "freezer.state")).Trim());

        var update = await D.DockerAsync("update", "--memory", "96m", "--memory-swap", "192m", name);
        Assert.True(update.ExitCode == 0, update.Stderr + D.Log);
        Assert.Equal((96L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(memory, "memory.limit_in_bytes")).Trim());

        var top = await D.DockerAsync("top", name);
        Assert.Contains("sleep 300", top.Stdout, StringComparison.Ordinal);
        Assert.Equal("started", (await D.DockerAsync("logs", name)).Stdout.Trim());

        var stop = await D.DockerAsync("stop", "-t", "1", name);
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("137", (await D.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", name)).Stdout.Trim());
        Assert.Equal(0, (await D.DockerAsync("start", name)).ExitCode);
        Assert.Equal("running", (await D.DockerAsync("inspect", "-f", "{{.State.Status}}", name)).Stdout.Trim());

        Assert.Equal(0, (await D.DockerAsync("rm", "-f", name)).ExitCode);
        Assert.False(Directory.Exists(memory), "the container's memory cgroup is left behind");
        Assert.False(Directory.Exists(Path.Combine(RuntimeRoot("crun"), id)), "crun state left behind");
        Assert.Equal(mountsBefore, Cgroup2Mounts());
        Assert.True(File.Exists("/sys/fs/cgroup/unified/cgroup.procs"), "the host's cgroup2 mount must stay");
    }

    [Fact]
    public async Task CrunContainerOutlivesADaemonKillAndIsStillControlledAfterwards()
    {
        var name = Unique();
        var run = await D.DockerAsync("run", "-d", "--name", name, "--runtime", "crun", "--network", "none", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr + D.Log);
        var pid = (await D.DockerAsync("inspect", "-f", "{{.State.Pid}}", name)).Stdout.Trim();

        await D.KillAsync();
        await D.StartProcessAsync();

        Assert.Equal("running " + pid, (await D.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", name)).Stdout.Trim());
        Assert.Equal("crun", (await D.DockerAsync("inspect", "-f", "{{.HostConfig.Runtime}}", name)).Stdout.Trim());
        var exec = await D.DockerAsync("exec", name, "echo", "still here");
        Assert.Equal("still here", exec.Stdout.Trim());
        var kill = await D.DockerAsync("kill", name);
        Assert.True(kill.ExitCode == 0, kill.Stderr + D.Log);
        Assert.Equal("137", (await D.DockerAsync("wait", name)).Stdout.Trim());
        Assert.Equal(0, (await D.DockerAsync("rm", name)).ExitCode);
    }

    [Theory]
    [InlineData("--add-runtime", "runc=/usr/bin/crun", "runtime name 'runc' is reserved")]
    [InlineData("--default-runtime", "missing", "specified default runtime 'missing' does not exist")]
    [InlineData("--add-runtime", "nopath", "runtime must be specified as NAME=PATH")]
    [InlineData("--add-runtime", "../x=/usr/bin/crun", "invalid runtime name \"../x\"")]
    public async Task BadRuntimeSettingsStopTheDaemonWithAMessage(string flag, string value, string message)
    {
        var dir = Directory.CreateTempSubdirectory("wharf-rt-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "none.json"), "{}");
            var r = await ProcessRunner.RunAsync(Repo.Wharfd, [flag, value, "--data-root", Path.Combine(dir, "data"), "--exec-root", Path.Combine(dir, "exec"),
                "-H", "unix://" + Path.Combine(dir, "s.sock"), "--config-file", Path.Combine(dir, "none.json")]);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains(message, r.Stderr + r.Stdout, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "s.sock")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
