using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Real-time CPU settings on a cgroup v1 cpu controller: a daemon with a real-time budget
/// (cpu-rt-period/cpu-rt-runtime in daemon.json) hands it to its cgroup parent, containers get
/// their own period and runtime, update changes them, and bad values are Docker's 400s.
/// </summary>
public sealed class CpuRealtimeTests : IAsyncLifetime
{
    private const string CpuRoot = "/sys/fs/cgroup/cpu";
    private WharfDaemon? _d;

    private static bool HostHasRealtime => File.Exists(Path.Combine(CpuRoot, "cpu.rt_runtime_us"));

    public async Task InitializeAsync()
    {
        if (!HostHasRealtime)
        {
            return;
        }

        // A small budget: the root group's 950 ms per second is shared by every sibling group.
        _d = await WharfDaemon.StartWithConfigAsync(parent => $$"""{"cgroup-parent":"{{parent}}","cpu-rt-period":1000000,"cpu-rt-runtime":100000}""");
        await _d.ImportAsync(Tars.Busybox("rt"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync()
    {
        if (_d is not null)
        {
            var parent = Path.Combine(CpuRoot, _d.CgroupParent);
            await _d.DisposeAsync();
            Assert.False(Directory.Exists(parent), "the daemon's cpu cgroup parent is left behind");
        }
    }

    private static string Unique() => "rt-" + Guid.NewGuid().ToString("N")[..8];

    private static string Read(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).Trim();

    [Fact]
    public async Task ContainerGetsItsRealtimeSettingsUnderTheDaemonsBudgetAndCanUseThemWithSysNice()
    {
        if (_d is null)
        {
            return;
        }

        var name = Unique();
        var run = await _d.DockerAsync("run", "-d", "--name", name, "--network", "none", "--cap-add", "SYS_NICE",
            "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "50000", "-v", "/lib:/host/lib:ro", "-v", "/usr/bin/chrt:/host/chrt:ro",
            "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr + _d.Log);
        var id = run.Stdout.Trim();

        var parent = Path.Combine(CpuRoot, _d.CgroupParent);
        Assert.Equal("1000000", Read(parent, "cpu.rt_period_us"));
        Assert.Equal("100000", Read(parent, "cpu.rt_runtime_us"));
        var own = Path.Combine(parent, id);
        Assert.Equal("1000000", Read(own, "cpu.rt_period_us"));
        Assert.Equal("50000", Read(own, "cpu.rt_runtime_us"));

        var shown = (await _d.DockerAsync("inspect", "-f", "{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}", name)).Stdout.Trim();
        Assert.Equal("1000000 50000", shown);

        // SCHED_FIFO needs CAP_SYS_NICE and a real-time budget in the task's group; the host's
        // chrt runs through the host's loader, since busybox has no chrt applet.
        var chrt = await _d.DockerAsync("exec", name, "/host/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "--library-path", "/host/lib/x86_64-linux-gnu", "/host/chrt", "-f", "10", "true");
        Assert.True(chrt.ExitCode == 0, chrt.Stdout + chrt.Stderr);

        var update = await _d.DockerAsync("update", "--cpu-rt-runtime", "60000", name);
        Assert.True(update.ExitCode == 0, update.Stderr);
        Assert.Equal("60000", Read(own, "cpu.rt_runtime_us"));
        Assert.Equal("1000000 60000", (await _d.DockerAsync("inspect", "-f", "{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}", name)).Stdout.Trim());

        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", name)).ExitCode);
        Assert.False(Directory.Exists(own), "the container's cpu cgroup is left behind");
    }

    [Fact]
    public async Task WharfRunSetsTheRealtimeRuntime()
    {
        if (_d is null)
        {
            return;
        }

        var name = Unique();
        var run = await _d.WharfAsync("run", "-d", "--name", name, "--network", "none", "--cpu-rt-runtime", "20000", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        Assert.Equal("20000", Read(Path.Combine(CpuRoot, _d.CgroupParent, id), "cpu.rt_runtime_us"));
        Assert.Equal("20000", (await _d.WharfAsync("inspect", "-f", "{{.HostConfig.CpuRealtimeRuntime}}", name)).Stdout.Trim());
        Assert.Equal(0, (await _d.WharfAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task RuntimeAbovePeriodIsDockers400AtCreateAndUpdate()
    {
        if (_d is null)
        {
            return;
        }

        const string message = "cpu real-time runtime cannot be higher than cpu real-time period";
        var body = JsonContent.Create(JsonNode.Parse("""{"Image":"busybox","HostConfig":{"NetworkMode":"none","CpuRealtimePeriod":1000,"CpuRealtimeRuntime":2000}}"""));
        var (status, text) = await _d.SendAsync(HttpMethod.Post, "/containers/create?name=" + Unique(), body);
        Assert.Equal(400, status);
        Assert.Equal(message, JsonNode.Parse(text)!["message"]!.GetValue<string>());

        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "2000", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);

        var name = Unique();
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", name, "--network", "none", "busybox", "true")).ExitCode);
        var update = await _d.DockerAsync("update", "--cpu-rt-period", "1000", "--cpu-rt-runtime", "5000", name);
        Assert.NotEqual(0, update.ExitCode);
        Assert.Contains(message, update.Stderr, StringComparison.Ordinal);
        Assert.Equal("0 0", (await _d.DockerAsync("inspect", "-f", "{{.HostConfig.CpuRealtimePeriod}} {{.HostConfig.CpuRealtimeRuntime}}", name)).Stdout.Trim());
        Assert.Equal(0, (await _d.DockerAsync("rm", name)).ExitCode);
    }
}
