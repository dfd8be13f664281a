using System.Text.RegularExpressions;

namespace Wharf.Integration.Tests;

/// <summary>The wharf CLI's container commands against a real wharfd, compared with the docker CLI.</summary>
public sealed class WharfContainerCliTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("wharf-containers"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task RunSplitsStreamsAndReturnsTheExitCode()
    {
        var r = await _d.WharfAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.True(r.ExitCode == 3, r.Stderr);
        Assert.Equal("out", r.Stdout.Trim());
        Assert.Equal("err", r.Stderr.Trim());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SignalsToAnAttachedRunGoToTheContainerUnlessSigProxyIsOff(bool proxy)
    {
        var name = "sig-" + Guid.NewGuid().ToString("N")[..8];
        var psi = new System.Diagnostics.ProcessStartInfo(Repo.Wharf) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "run", "--name", name, "--sig-proxy=" + (proxy ? "true" : "false"), "--network", "none", "busybox", "sh", "-c", "trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in _d.DockerEnv)
        {
            psi.Environment[k] = v;
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal("ready", await p.StandardOutput.ReadLineAsync(timeout.Token));
        Assert.Equal(0, (await ProcessRunner.RunAsync("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ExitCode);
        var rest = await p.StandardOutput.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        var state = (await _d.WharfAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name)).Stdout.Trim();
        if (proxy)
        {
            // The container got the TERM, ran its trap and exited 3; wharf ends with its code.
            Assert.Contains("got-term", rest);
            Assert.Equal(3, p.ExitCode);
            Assert.Equal("exited 3", state);
        }
        else
        {
            // The CLI itself ends; the container keeps running.
            Assert.DoesNotContain("got-term", rest);
            Assert.Equal("running 0", state);
        }

        Assert.Equal(0, (await _d.WharfAsync("rm", "-f", name)).ExitCode);
    }

    [Fact]
    public async Task StdinReachesTheContainer()
    {
        var input = Path.Combine(_d.Dir, "stdin.txt");
        await File.WriteAllTextAsync(input, "hi\n");
        var r = await _d.WharfWithStdinAsync(input, "run", "-i", "--rm", "busybox", "cat");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("hi", r.Stdout.Trim());
    }

    [Fact]
    public async Task DetachedPsStopRemove()
    {
        var run = await _d.WharfAsync("run", "-d", "--name", "sleeper", "-e", "A=1", "-l", "k=v", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        Assert.Equal(64, id.Length);
        var ps = await _d.WharfAsync("ps", "--format", "{{.Names}} {{.Status}} {{.Labels}}");
        Assert.Matches("^sleeper Up .* k=v$", ps.Stdout.Trim());
        Assert.Equal(id[..12], (await _d.WharfAsync("ps", "-q")).Stdout.Trim());
        var rm = await _d.WharfAsync("rm", "sleeper");
        Assert.Equal(1, rm.ExitCode);
        Assert.StartsWith("Error response from daemon:", rm.Stderr, StringComparison.Ordinal);
        var stop = await _d.WharfAsync("stop", "-t", "1", "sleeper");
        Assert.True(stop.ExitCode == 0, stop.Stderr);
        Assert.Equal("sleeper", stop.Stdout.Trim());
        Assert.Equal("exited 137", (await _d.WharfAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "sleeper")).Stdout.Trim());
        Assert.Equal("sleeper", (await _d.WharfAsync("rm", "sleeper")).Stdout.Trim());
        Assert.Equal("", (await _d.WharfAsync("ps", "-aq")).Stdout.Trim());
    }

    [Fact]
    public async Task LogsAndWait()
    {
        var id = (await _d.WharfAsync("run", "-d", "busybox", "sh", "-c", "echo first; echo second >&2; exit 4")).Stdout.Trim();
        Assert.Equal("4", (await _d.WharfAsync("wait", id)).Stdout.Trim());
        var logs = await _d.WharfAsync("logs", id);
        Assert.Equal("first", logs.Stdout.Trim());
        Assert.Equal("second", logs.Stderr.Trim());
        var tail = await _d.WharfAsync("logs", "--tail", "1", id);
        Assert.Equal("", tail.Stdout.Trim());
        Assert.Equal("second", tail.Stderr.Trim());
    }

    [Fact]
    public async Task PsAllMatchesDocker()
    {
        Assert.Equal(0, (await _d.WharfAsync("create", "--name", "c1", "busybox", "sh", "-c", "echo a long command line that is truncated")).ExitCode);
        var id = (await _d.WharfAsync("run", "-d", "--name", "c2", "busybox", "true")).Stdout.Trim();
        await _d.WharfAsync("wait", id);
        var wharf = await _d.WharfAsync("ps", "-a");
        var docker = await _d.DockerAsync("ps", "-a");
        Assert.True(docker.ExitCode == 0, docker.Stderr);
        Assert.Equal(Normalize(docker.Stdout), Normalize(wharf.Stdout));
        Assert.True(wharf.Stdout.Contains("\"sh -c 'echo a long …\"", StringComparison.Ordinal), wharf.Stdout);
        Assert.Equal(Normalize((await _d.DockerAsync("ps", "-a", "--no-trunc")).Stdout), Normalize((await _d.WharfAsync("ps", "-a", "--no-trunc")).Stdout));
    }

    [Fact]
    public async Task ErrorsLikeDocker()
    {
        var w = await _d.WharfAsync("run", "--rm", "busybox", "no-such-binary");
        var d = await _d.DockerAsync("run", "--rm", "busybox", "no-such-binary");
        Assert.Equal(d.ExitCode, w.ExitCode);
        var wi = await _d.WharfAsync("inspect", "nothing-here");
        Assert.Equal(1, wi.ExitCode);
        Assert.Equal("Error: No such object: nothing-here", wi.Stderr.Trim());
        var ws = await _d.WharfAsync("stop", "nothing-here");
        var ds = await _d.DockerAsync("stop", "nothing-here");
        Assert.Equal(ds.ExitCode, ws.ExitCode);
        Assert.Equal(ds.Stderr.Trim(), ws.Stderr.Trim());
    }

    [Fact]
    public async Task LifecycleCommands()
    {
        Assert.Equal(0, (await _d.WharfAsync("run", "-d", "--name", "life", "busybox", "sleep", "300")).ExitCode);
        var pause = await _d.WharfAsync("pause", "life");
        Assert.True(pause.ExitCode == 0, pause.Stderr + (await _d.DockerAsync("pause", "life")).Stderr);
        Assert.Equal("life", pause.Stdout.Trim());
        Assert.Equal("paused", (await _d.WharfAsync("inspect", "-f", "{{.State.Status}}", "life")).Stdout.Trim());
        Assert.Equal("life", (await _d.WharfAsync("unpause", "life")).Stdout.Trim());
        var rename = await _d.WharfAsync("rename", "life", "life2");
        Assert.True(rename.ExitCode == 0, rename.Stderr);
        Assert.Equal("life2", (await _d.WharfAsync("restart", "-t", "1", "life2")).Stdout.Trim());
        Assert.Equal("running", (await _d.WharfAsync("container", "inspect", "-f", "{{.State.Status}}", "life2")).Stdout.Trim());
        Assert.Equal("life2", (await _d.WharfAsync("kill", "-s", "KILL", "life2")).Stdout.Trim());
        Assert.Equal("137", (await _d.WharfAsync("wait", "life2")).Stdout.Trim());
        var start = await _d.WharfAsync("create", "--name", "again", "busybox", "sh", "-c", "echo started; exit 2");
        Assert.True(start.ExitCode == 0, start.Stderr);
        var attached = await _d.WharfAsync("start", "-a", "again");
        Assert.Equal(2, attached.ExitCode);
        Assert.Equal("started", attached.Stdout.Trim());
        var prune = await _d.WharfAsync("container", "prune", "-f");
        Assert.True(prune.ExitCode == 0, prune.Stderr);
        Assert.StartsWith("Deleted Containers:", prune.Stdout, StringComparison.Ordinal);
        Assert.Equal("", (await _d.WharfAsync("ps", "-aq")).Stdout.Trim());
    }

    [Fact]
    public async Task RunErrorsMatchDocker()
    {
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", "dup", "busybox")).ExitCode);
        foreach (var args in new[] { new[] { "run", "--rm", "busybox", "no-such-binary" }, ["create", "--restart", "always:3", "busybox"], ["run", "--name", "dup", "-d", "busybox", "true"] })
        {
            var d = await _d.DockerAsync(args);
            var w = await _d.WharfAsync(args);
            Assert.True(d.ExitCode == w.ExitCode, $"{string.Join(' ', args)}: docker {d.ExitCode} {d.Stderr} wharf {w.ExitCode} {w.Stderr}");
            Assert.Equal(d.Stderr.Replace("docker", "wharf", StringComparison.Ordinal).Trim(), w.Stderr.Trim());
        }
    }

    // "3 seconds ago" / "Exited (0) 2 seconds ago" move while the two commands run.
    private static string Normalize(string table) =>
        Regex.Replace(Regex.Replace(table, @"(Less than a second|About a minute|\d+ seconds?|\d+ minutes?) ago", "X ago"), " +", " ");
}
