using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>cp</c>, <c>diff</c>, <c>export</c> and <c>commit</c> through the real docker CLI and
/// through <c>wharf</c>, against a real wharfd with running and stopped containers.
/// </summary>
public sealed class ContainerFilesCliTests : IAsyncLifetime
{
    private const string Changes = "mkdir -p /d/sub; echo hello > /d/f.txt; echo s > /d/sub/s.txt; ln -s /d /dlink; rm /etc/group; touch /marker; touch /ready";

    private WharfDaemon _d = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("files-cli"), "busybox", "latest", "CMD [\"sh\"]");
        _work = Path.Combine(_d.Dir, "work");
        Directory.CreateDirectory(_work);
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private string W(string relative) => Path.Combine(_work, relative);

    private async Task<ProcessResult> OkAsync(Task<ProcessResult> run)
    {
        var r = await run;
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}");
        return r;
    }

    private async Task RunningAsync(string name, string script = Changes)
    {
        await OkAsync(_d.DockerAsync("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c", script + "; sleep 300"));
        for (var i = 0; i < 100; i++)
        {
            if ((await _d.SendAsync(HttpMethod.Head, $"/containers/{name}/archive?path=/ready")).Status == 200)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the container never got ready");
    }

    /// <summary>Fails unless no mount matching <paramref name="match"/> is left within 10 s.</summary>
    private static async Task AssertNoMountSoonAsync(Func<string, bool> match)
    {
        for (var i = 0; i < 100 && File.ReadAllLines("/proc/self/mounts").Any(match); i++)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), l => match(l));
    }

    private Task<ProcessResult> ShAsync(string script) => ProcessRunner.RunAsync("sh", ["-c", script], _d.DockerEnv);

    [Fact]
    public async Task DockerCpOutOfARunningContainer()
    {
        await RunningAsync("cp-out");
        await OkAsync(_d.DockerAsync("cp", "cp-out:/d/f.txt", W("f.txt")));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(W("f.txt")));

        await OkAsync(_d.DockerAsync("cp", "cp-out:/d", W("dcopy")));
        Assert.Equal("s\n", await File.ReadAllTextAsync(W("dcopy/sub/s.txt")));

        Directory.CreateDirectory(W("contents"));
        await OkAsync(_d.DockerAsync("cp", "cp-out:/d/.", W("contents")));
        Assert.True(File.Exists(W("contents/f.txt")));
        Assert.False(Directory.Exists(W("contents/d")));

        await OkAsync(_d.DockerAsync("cp", "cp-out:/dlink", W("link")));
        Assert.Equal("/d", new FileInfo(W("link")).LinkTarget);
        await OkAsync(_d.DockerAsync("cp", "-L", "cp-out:/dlink", W("followed")));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(W("followed/f.txt")));

        var tar = await OkAsync(ShAsync($"docker cp cp-out:/d - | tar -t"));
        Assert.Contains("d/sub/s.txt", tar.Stdout, StringComparison.Ordinal);

        var missing = await _d.DockerAsync("cp", "cp-out:/nope", W("x"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Could not find the file /nope in container cp-out", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerCpIntoRunningAndStoppedContainers()
    {
        await RunningAsync("cp-in");
        await File.WriteAllTextAsync(W("in.txt"), "copied in\n");
        Directory.CreateDirectory(W("dir/sub"));
        await File.WriteAllTextAsync(W("dir/sub/x"), "x\n");
        await OkAsync(_d.DockerAsync("cp", W("in.txt"), "cp-in:/d/"));
        await OkAsync(_d.DockerAsync("cp", W("in.txt"), "cp-in:/d/renamed.txt"));
        await OkAsync(_d.DockerAsync("cp", W("dir"), "cp-in:/tmp/"));
        await OkAsync(_d.DockerAsync("cp", W("dir") + "/.", "cp-in:/d/sub"));
        await OkAsync(ShAsync($"tar -C {_work} -c in.txt | docker cp - cp-in:/tmp"));

        var diff = (await OkAsync(_d.DockerAsync("diff", "cp-in"))).Stdout;
        foreach (var line in new[] { "A /d/in.txt", "A /d/renamed.txt", "A /tmp/dir/sub/x", "A /d/sub/sub/x", "A /tmp/in.txt" })
        {
            Assert.Contains(line, diff.Split('\n'));
        }

        // A stopped container is mounted for the copy and unmounted after it.
        await OkAsync(_d.DockerAsync("create", "--name", "cp-stopped", "--network", "none", "busybox", "cat", "/in.txt"));
        var id = (await OkAsync(_d.DockerAsync("inspect", "-f", "{{.Id}}", "cp-stopped"))).Stdout.Trim();
        await OkAsync(_d.DockerAsync("cp", W("in.txt"), "cp-stopped:/"));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), l => l.Contains(id, StringComparison.Ordinal));
        var run = await OkAsync(_d.DockerAsync("start", "-a", "cp-stopped"));
        Assert.Equal("copied in", run.Stdout.Trim());
        await OkAsync(_d.DockerAsync("cp", "cp-stopped:/in.txt", W("back.txt")));
        Assert.Equal("copied in\n", await File.ReadAllTextAsync(W("back.txt")));

        // The CLI stops reading at the tar's end marker, which can be before the daemon has
        // finished the response and released the mount (dockerd unmounts at the same point).
        await AssertNoMountSoonAsync(l => l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BindMountsAreSeenInRunningAndStoppedContainers()
    {
        Directory.CreateDirectory(W("vol"));
        Directory.CreateDirectory(W("rovol"));
        await File.WriteAllTextAsync(W("vol/host.txt"), "from host\n");
        await File.WriteAllTextAsync(W("up.txt"), "up\n");
        await OkAsync(_d.DockerAsync("run", "-d", "--name", "binds", "--network", "none", "-v", W("vol") + ":/data", "-v", W("rovol") + ":/ro:ro", "busybox", "sleep", "300"));
        var id = (await OkAsync(_d.DockerAsync("inspect", "-f", "{{.Id}}", "binds"))).Stdout.Trim();
        foreach (var state in new[] { "running", "stopped" })
        {
            if (state == "stopped")
            {
                await OkAsync(_d.DockerAsync("stop", "-t", "0", "binds"));
            }

            await OkAsync(_d.DockerAsync("cp", "binds:/data/host.txt", W($"host-{state}.txt")));
            Assert.Equal("from host\n", await File.ReadAllTextAsync(W($"host-{state}.txt")));
            await OkAsync(_d.DockerAsync("cp", W("up.txt"), $"binds:/data/up-{state}.txt"));
            Assert.Equal("up\n", await File.ReadAllTextAsync(W($"vol/up-{state}.txt")));
            var ro = await _d.DockerAsync("cp", W("up.txt"), "binds:/ro/");
            Assert.NotEqual(0, ro.ExitCode);
            Assert.Empty(Directory.EnumerateFileSystemEntries(W("rovol")));
        }

        await AssertNoMountSoonAsync(l => l.Contains(id, StringComparison.Ordinal) || l.Contains(W("vol"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiffListsTheChangesLikeDocker()
    {
        await RunningAsync("diffed");
        var lines = (await OkAsync(_d.DockerAsync("diff", "diffed"))).Stdout.Trim().Split('\n');
        Assert.Equal(["A /d", "A /d/f.txt", "A /d/sub", "A /d/sub/s.txt", "A /dlink", "C /etc", "D /etc/group", "C /marker", "A /ready"], lines);
        Assert.Equal(lines, (await OkAsync(_d.WharfAsync("diff", "diffed"))).Stdout.Trim().Split('\n'));

        var api = JsonNode.Parse((await _d.SendAsync(HttpMethod.Get, "/containers/diffed/changes")).Body)!.AsArray();
        var golden = JsonNode.Parse(File.ReadAllText(Repo.Golden("files/changes-running.json")))!.AsArray();
        Assert.Equal(golden[0]!.AsObject().Select(kv => kv.Key), api[0]!.AsObject().Select(kv => kv.Key));

        // A container that changed nothing answers null, as dockerd does.
        await OkAsync(_d.DockerAsync("create", "--name", "unchanged", "--network", "none", "busybox", "true"));
        Assert.Equal("null", (await _d.SendAsync(HttpMethod.Get, "/containers/unchanged/changes")).Body.Trim());
    }

    [Fact]
    public async Task ExportIsATarOfTheWholeFileSystem()
    {
        await RunningAsync("exported");
        var listing = await OkAsync(ShAsync("docker export exported | tar -t"));
        var names = listing.Stdout.Split('\n');
        Assert.Contains("bin/busybox", names);
        Assert.Contains("d/sub/s.txt", names);
        Assert.Contains("marker", names);
        Assert.DoesNotContain("etc/group", names);

        await OkAsync(_d.DockerAsync("stop", "-t", "0", "exported"));
        await OkAsync(_d.DockerAsync("export", "-o", W("docker.tar"), "exported"));
        await OkAsync(_d.WharfAsync("export", "-o", W("wharf.tar"), "exported"));
        var docker = await OkAsync(ProcessRunner.RunAsync("tar", ["-tf", W("docker.tar")]));
        var wharf = await OkAsync(ProcessRunner.RunAsync("tar", ["-tf", W("wharf.tar")]));
        Assert.Equal(docker.Stdout, wharf.Stdout);
        Assert.Contains("d/f.txt", docker.Stdout.Split('\n'));
    }

    [Fact]
    public async Task CommittedImagesRunWithTheChanges()
    {
        await RunningAsync("committed");
        var commit = await OkAsync(_d.DockerAsync("commit", "-a", "tester", "-m", "the message", "-c", "CMD [\"cat\", \"/d/f.txt\"]", "-c", "ENV FROM_COMMIT=1", "committed", "snap:v1"));
        var imageId = commit.Stdout.Trim();
        Assert.StartsWith("sha256:", imageId, StringComparison.Ordinal);

        // The container was paused for the commit and runs again.
        Assert.Equal("running", (await OkAsync(_d.DockerAsync("inspect", "-f", "{{.State.Status}}", "committed"))).Stdout.Trim());

        Assert.Equal("hello", (await OkAsync(_d.DockerAsync("run", "--rm", "--network", "none", "snap:v1"))).Stdout.Trim());
        var check = await OkAsync(_d.DockerAsync("run", "--rm", "--network", "none", "snap:v1", "sh", "-c", "ls /etc; echo FROM_COMMIT=$FROM_COMMIT; cat /dlink/sub/s.txt"));
        Assert.DoesNotContain("group", check.Stdout.Split('\n'));
        Assert.Contains("passwd", check.Stdout.Split('\n'));
        Assert.Contains("FROM_COMMIT=1", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("s", check.Stdout.Split('\n'));

        var inspect = JsonNode.Parse((await OkAsync(_d.DockerAsync("image", "inspect", "snap:v1"))).Stdout)!.AsArray()[0]!;
        var busybox = JsonNode.Parse((await OkAsync(_d.DockerAsync("image", "inspect", "busybox"))).Stdout)!.AsArray()[0]!;
        Assert.Equal(busybox["Id"]!.GetValue<string>(), inspect["Parent"]!.GetValue<string>());
        Assert.Equal("tester", inspect["Author"]!.GetValue<string>());
        Assert.Equal("the message", inspect["Comment"]!.GetValue<string>());
        Assert.Equal(busybox["RootFS"]!["Layers"]!.AsArray().Count + 1, inspect["RootFS"]!["Layers"]!.AsArray().Count);
        var history = (await OkAsync(_d.DockerAsync("history", "--format", "{{.ID}} {{.Comment}}", "snap:v1"))).Stdout.Trim().Split('\n');
        Assert.EndsWith("the message", history[0], StringComparison.Ordinal);

        // An absolute until a little ahead: the docker CLI turns a duration such as "0s" into whole
        // seconds, so "--until 0s" misses the events of the current second (dockerd's too).
        var until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = await OkAsync(_d.DockerAsync("events", "--since", "5m", "--until", until, "--filter", "event=commit", "--format", "{{.Action}} {{.Actor.Attributes.imageRef}} {{.Actor.Attributes.comment}}"));
        Assert.Equal("commit snap:v1 the message", events.Stdout.Trim());
    }

    [Fact]
    public async Task WharfCpDiffExportAndCommit()
    {
        await RunningAsync("wharfed");
        await OkAsync(_d.WharfAsync("cp", "wharfed:/d", W("d")));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(W("d/f.txt")));
        Directory.CreateDirectory(W("dot"));
        await OkAsync(_d.WharfAsync("cp", "wharfed:/d/.", W("dot")));
        Assert.True(File.Exists(W("dot/sub/s.txt")));
        await OkAsync(_d.WharfAsync("cp", "-L", "wharfed:/dlink", W("followed")));
        Assert.True(File.Exists(W("followed/f.txt")));
        await OkAsync(_d.WharfAsync("cp", "wharfed:/d/f.txt", W("renamed.txt")));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(W("renamed.txt")));
        var tar = await OkAsync(ShAsync($"{Repo.Wharf} cp wharfed:/d - | tar -t"));
        Assert.Contains("d/sub/s.txt", tar.Stdout.Split('\n'));

        await File.WriteAllTextAsync(W("up.txt"), "up\n");
        await OkAsync(_d.WharfAsync("cp", "-a", W("up.txt"), "wharfed:/d/"));
        await OkAsync(_d.WharfAsync("cp", W("d"), "wharfed:/tmp/copied"));
        await OkAsync(ShAsync($"tar -C {_work} -c up.txt | {Repo.Wharf} cp - wharfed:/tmp"));
        var diff = (await OkAsync(_d.WharfAsync("diff", "wharfed"))).Stdout.Split('\n');
        Assert.Contains("A /d/up.txt", diff);
        Assert.Contains("A /tmp/copied/sub/s.txt", diff);
        Assert.Contains("A /tmp/up.txt", diff);

        var missing = await _d.WharfAsync("cp", "wharfed:/nope", W("x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Error response from daemon: Could not find the file /nope in container wharfed", missing.Stderr.Trim());
        var both = await _d.WharfAsync("cp", "a:/x", "b:/y");
        Assert.Equal("copying between containers is not supported", both.Stderr.Trim());

        var id = (await OkAsync(_d.WharfAsync("commit", "-m", "by wharf", "-c", "CMD [\"cat\", \"/d/up.txt\"]", "wharfed", "wharfsnap"))).Stdout.Trim();
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal("up", (await OkAsync(_d.DockerAsync("run", "--rm", "--network", "none", "wharfsnap"))).Stdout.Trim());

        await OkAsync(_d.WharfAsync("export", "-o", W("export.tar"), "wharfed"));
        Assert.Contains("d/up.txt", (await OkAsync(ProcessRunner.RunAsync("tar", ["-tf", W("export.tar")]))).Stdout.Split('\n'));
    }
}
