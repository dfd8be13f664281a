using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Volumes and mounts through the real docker CLI against wharfd.</summary>
public sealed class VolumeCliTests(VolumeDaemon fixture) : IClassFixture<VolumeDaemon>
{
    private WharfDaemon D => fixture.D;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<ProcessResult> DockerOk(params string[] args)
    {
        var r = await D.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        return r;
    }

    private async Task<List<string>> VolumeNamesAsync(params string[] filters)
        => [.. (await DockerOk(["volume", "ls", "-q", .. filters.SelectMany(f => new[] { "--filter", f })])).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private async Task<JsonNode> InspectAsync(string kind, string name)
        => JsonNode.Parse((await DockerOk(kind, "inspect", name)).Stdout)!.AsArray()[0]!;

    private static bool Mounted(string path) => File.ReadAllLines("/proc/self/mounts").Any(l => l.Split(' ')[1] == path);

    [Fact]
    public async Task NamedVolumeDataPersistsAcrossContainersAndReadOnlyMountsRefuseWrites()
    {
        var v = Unique("persist");
        Assert.Equal(v, (await DockerOk("volume", "create", v)).Stdout.Trim());
        await DockerOk("run", "--rm", "-v", v + ":/data", "busybox", "sh", "-c", "echo kept > /data/file");
        Assert.Equal("kept", (await DockerOk("run", "--rm", "--mount", $"source={v},target=/other", "busybox", "cat", "/other/file")).Stdout.Trim());

        var ro = await D.DockerAsync("run", "--rm", "-v", v + ":/data:ro", "busybox", "sh", "-c", "echo x > /data/new");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Contains("Read-only file system", ro.Stderr, StringComparison.Ordinal);
        var roMount = await D.DockerAsync("run", "--rm", "--mount", $"type=volume,src={v},dst=/data,readonly", "busybox", "touch", "/data/new");
        Assert.NotEqual(0, roMount.ExitCode);
        var roBind = await D.DockerAsync("run", "--rm", "-v", D.Dir + ":/host:ro", "busybox", "touch", "/host/new");
        Assert.NotEqual(0, roBind.ExitCode);
        Assert.False(File.Exists(Path.Combine(D.Dir, "new")));
        Assert.False(File.Exists(Path.Combine((await InspectAsync("volume", v))["Mountpoint"]!.GetValue<string>(), "new")));
    }

    [Fact]
    public async Task NewVolumesAreFilledFromTheImageWithOwnersAndModes()
    {
        var name = Unique("copyup");
        var r = await DockerOk("run", "--name", name, "vol-image", "sh", "-c", "stat -c '%u:%g %a %n' /data /data/seed.txt && cat /data/seed.txt");
        Assert.Equal("1000:1000 750 /data\n1000:1000 640 /data/seed.txt\nseeded", r.Stdout.Trim());
        var mounts = (await InspectAsync("container", name))["Mounts"]!.AsArray();
        var m = Assert.Single(mounts)!;
        Assert.Equal(("volume", "/data", "local", "", true, ""), (m["Type"]!.GetValue<string>(), m["Destination"]!.GetValue<string>(), m["Driver"]!.GetValue<string>(), m["Mode"]!.GetValue<string>(), m["RW"]!.GetValue<bool>(), m["Propagation"]!.GetValue<string>()));
        var anon = m["Name"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", anon);
        Assert.Equal(m["Source"]!.GetValue<string>(), (await InspectAsync("volume", anon))["Mountpoint"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(m["Source"]!.GetValue<string>(), "seed.txt")));

        // busybox's /etc copied into an anonymous volume; a named empty volume is filled too, unless nocopy.
        Assert.Contains("root:x:0:0", (await DockerOk("run", "--rm", "-v", "/etc", "busybox", "cat", "/etc/passwd")).Stdout, StringComparison.Ordinal);
        var etc = Unique("etc");
        Assert.Contains("nobody", (await DockerOk("run", "--rm", "-v", etc + ":/etc", "busybox", "cat", "/etc/passwd")).Stdout, StringComparison.Ordinal);
        var etcPath = (await InspectAsync("volume", etc))["Mountpoint"]!.GetValue<string>();
        Assert.True(File.Exists(Path.Combine(etcPath, "group")));
        var empty = Unique("nocopy");
        await DockerOk("run", "--rm", "-v", empty + ":/data:nocopy", "vol-image", "true");
        Assert.Empty(Directory.EnumerateFileSystemEntries((await InspectAsync("volume", empty))["Mountpoint"]!.GetValue<string>()));
        await DockerOk("rm", "-v", name);
        await DockerOk("volume", "rm", etc, empty);
    }

    [Fact]
    public async Task VolumesFromSharesTheMounts()
    {
        var src = Unique("src");
        var shared = Unique("shared");
        await DockerOk("create", "--name", src, "-v", shared + ":/shared", "-v", "/scratch", "busybox", "true");
        await DockerOk("run", "--rm", "--volumes-from", src, "busybox", "sh", "-c", "echo from-peer > /shared/f && echo s > /scratch/s");
        var ro = await D.DockerAsync("run", "--rm", "--volumes-from", src + ":ro", "busybox", "sh", "-c", "cat /shared/f /scratch/s && touch /shared/g");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Equal("from-peer\ns", ro.Stdout.Trim());
        Assert.Contains("Read-only file system", ro.Stderr, StringComparison.Ordinal);

        var peer = Unique("peer");
        await DockerOk("create", "--name", peer, "--volumes-from", src + ":ro", "busybox", "true");
        var mounts = (await InspectAsync("container", peer))["Mounts"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal(["/scratch", "/shared"], mounts.Select(m => m["Destination"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(mounts, m => Assert.False(m["RW"]!.GetValue<bool>()));
        await DockerOk("rm", "-v", peer);
        await DockerOk("rm", "-v", src);
        Assert.Contains(shared, await VolumeNamesAsync());
        await DockerOk("volume", "rm", shared);
    }

    [Fact]
    public async Task RemoveWithVolumesTakesAnonymousOnesOnly()
    {
        var name = Unique("rmv");
        var named = Unique("named");
        await DockerOk("create", "--name", name, "-v", named + ":/n", "-v", "/anon", "--mount", "type=volume,dst=/manon", "busybox", "true");
        var anon = (await InspectAsync("container", name))["Mounts"]!.AsArray().Where(m => m!["Destination"]!.GetValue<string>() != "/n").Select(m => m!["Name"]!.GetValue<string>()).ToList();
        Assert.Equal(2, anon.Count);
        var labels = await DockerOk("volume", "inspect", "-f", "{{json .Labels}}", anon[0]);
        Assert.Equal("""{"com.docker.volume.anonymous":""}""", labels.Stdout.Trim());
        await DockerOk("rm", "-v", name);
        var left = await VolumeNamesAsync();
        Assert.Contains(named, left);
        Assert.DoesNotContain(anon[0], left);
        Assert.DoesNotContain(anon[1], left);

        // --rm drops the container's anonymous volumes as well.
        var before = await VolumeNamesAsync("label=com.docker.volume.anonymous");
        await DockerOk("run", "--rm", "-v", "/tmp/anon", "-v", named + ":/n", "busybox", "true");
        Assert.Equal(before, await VolumeNamesAsync("label=com.docker.volume.anonymous"));
        Assert.Contains(named, await VolumeNamesAsync());
        await DockerOk("volume", "rm", named);
    }

    [Fact]
    public async Task VolumesInUseCannotBeRemoved()
    {
        var v = Unique("busy");
        var id = (await DockerOk("create", "-v", v + ":/x", "busybox", "true")).Stdout.Trim();
        var rm = await D.DockerAsync("volume", "rm", v);
        Assert.Equal(1, rm.ExitCode);
        Assert.Equal($"Error response from daemon: remove {v}: volume is in use - [{id}]", rm.Stderr.Trim());
        var forced = await D.DockerAsync("volume", "rm", "-f", v);
        Assert.Equal(1, forced.ExitCode);
        var api = await D.SendAsync(HttpMethod.Delete, "/volumes/" + v);
        Assert.Equal(409, api.Status);
        Assert.Equal(id, (await DockerOk("ps", "-aq", "--no-trunc", "--filter", "volume=" + v)).Stdout.Trim());
        Assert.Contains(id, (await DockerOk("ps", "-aq", "--no-trunc", "--filter", "volume=/x")).Stdout.Split('\n'));
        await DockerOk("rm", id);
        Assert.Equal(v, (await DockerOk("volume", "rm", v)).Stdout.Trim());
        var missing = await D.DockerAsync("volume", "rm", v);
        Assert.Equal($"Error response from daemon: get {v}: no such volume", missing.Stderr.Trim());
        Assert.Equal(0, (await D.DockerAsync("volume", "rm", "-f", v)).ExitCode);
    }

    [Fact]
    public async Task PruneTakesUnusedAnonymousVolumesUnlessAll()
    {
        var label = "prune-test=" + Guid.NewGuid().ToString("N")[..8];
        var named = (await DockerOk("volume", "create", "--label", label, Unique("keep"))).Stdout.Trim();
        var anon = (await DockerOk("volume", "create", "--label", label)).Stdout.Trim();
        var used = Unique("used");
        var c = (await DockerOk("create", "--mount", $"type=volume,dst=/u,volume-label={label}", "-v", used + ":/used", "busybox", "true")).Stdout.Trim();
        var usedAnon = (await InspectAsync("container", c))["Mounts"]!.AsArray().Single(m => m!["Destination"]!.GetValue<string>() == "/u")!["Name"]!.GetValue<string>();

        var prune = await DockerOk("volume", "prune", "-f", "--filter", "label=" + label);
        Assert.Equal($"Deleted Volumes:\n{anon}\n\nTotal reclaimed space: 0B\n", prune.Stdout);
        Assert.Equal(new[] { named, usedAnon }.Order(StringComparer.Ordinal), (await VolumeNamesAsync("label=" + label)).Order(StringComparer.Ordinal));

        var all = await DockerOk("volume", "prune", "-af", "--filter", "label=" + label);
        Assert.Contains(named, all.Stdout, StringComparison.Ordinal);
        Assert.Equal([usedAnon], await VolumeNamesAsync("label=" + label));
        await DockerOk("rm", "-v", c);
        await DockerOk("volume", "rm", used);
        Assert.Empty(await VolumeNamesAsync("label=" + label));
    }

    [Fact]
    public async Task TmpfsBackedVolumeIsMountedWhileUsedAndUnmountedAfter()
    {
        var v = Unique("tmpfs");
        await DockerOk("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", v);
        var path = (await InspectAsync("volume", v))["Mountpoint"]!.GetValue<string>();
        Assert.False(Mounted(path));
        var c = Unique("tmpfs-user");
        await DockerOk("run", "-d", "--name", c, "-v", v + ":/t", "busybox", "sh", "-c", "df -k /t; echo x > /t/x; sleep 300");
        for (var i = 0; i < 100 && !(await D.DockerAsync("logs", c)).Stdout.Contains("/t", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(Mounted(path));
        Assert.Matches(@"tmpfs\s+1024\s", (await DockerOk("logs", c)).Stdout);
        Assert.Equal(1, (await D.DockerAsync("volume", "rm", v)).ExitCode);
        await DockerOk("rm", "-f", c);
        Assert.False(Mounted(path));
        Assert.Equal("gone", (await DockerOk("run", "--rm", "-v", v + ":/t", "busybox", "sh", "-c", "cat /t/x 2>/dev/null || echo gone")).Stdout.Trim());
        Assert.False(Mounted(path));
        await DockerOk("volume", "rm", v);
    }

    [Fact]
    public async Task MountsOfEveryKindAppearInInspectAsDockerReportsThem()
    {
        var name = Unique("kinds");
        var v = Unique("vol");
        var host = Path.Combine(D.Dir, "bind-" + name);
        Directory.CreateDirectory(host);
        await DockerOk("create", "--name", name, "-v", v + ":/named", "-v", host + ":/bind:ro", "--mount", $"type=bind,src={host},dst=/mbind,bind-propagation=rslave",
            "--mount", "type=tmpfs,dst=/mtmpfs,tmpfs-size=64k", "--mount", $"type=volume,src={v}-m,dst=/mvol", "--tmpfs", "/run", "vol-image", "true");
        var mounts = (await InspectAsync("container", name))["Mounts"]!.AsArray().ToDictionary(m => m!["Destination"]!.GetValue<string>(), m => m!.ToJsonString());
        var volPath = (await InspectAsync("volume", v))["Mountpoint"]!.GetValue<string>();
        Assert.Equal($$"""{"Type":"volume","Name":"{{v}}","Source":"{{volPath}}","Destination":"/named","Driver":"local","Mode":"z","RW":true,"Propagation":""}""", mounts["/named"]);
        Assert.Equal($$"""{"Type":"bind","Source":"{{host}}","Destination":"/bind","Mode":"ro","RW":false,"Propagation":"rprivate"}""", mounts["/bind"]);
        Assert.Equal($$"""{"Type":"bind","Source":"{{host}}","Destination":"/mbind","Mode":"","RW":true,"Propagation":"rslave"}""", mounts["/mbind"]);
        Assert.Equal("""{"Type":"tmpfs","Source":"","Destination":"/mtmpfs","Mode":"","RW":true,"Propagation":""}""", mounts["/mtmpfs"]);
        Assert.Contains("\"Mode\":\"z\"", mounts["/mvol"], StringComparison.Ordinal);
        Assert.Contains("\"Mode\":\"\"", mounts["/data"], StringComparison.Ordinal);
        Assert.False(mounts.ContainsKey("/run"));
        await DockerOk("rm", "-v", name);
        await DockerOk("volume", "rm", v, v + "-m");
    }

    [Fact]
    public async Task BadMountsFailLikeDocker()
    {
        var dup = await D.DockerAsync("run", "--rm", "-v", "a1:/x", "-v", D.Dir + ":/x", "busybox", "true");
        Assert.Equal(125, dup.ExitCode);
        Assert.Contains("Error response from daemon: Duplicate mount point: /x", dup.Stderr, StringComparison.Ordinal);
        var missing = await D.DockerAsync("run", "--rm", "--mount", "type=bind,src=" + D.Dir + "/nope,dst=/x", "busybox", "true");
        Assert.Contains($"invalid mount config for type \"bind\": bind source path does not exist: {D.Dir}/nope", missing.Stderr, StringComparison.Ordinal);
        var from = await D.DockerAsync("create", "--volumes-from", "no-such-container", "busybox", "true");
        Assert.Equal("Error response from daemon: No such container: no-such-container", from.Stderr.Trim());
        var badName = await D.DockerAsync("volume", "create", "bad/name");
        Assert.Contains("includes invalid characters for a local volume name", badName.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("a1", await VolumeNamesAsync());

        // BindOptions.CreateMountpoint (bind-create-src, newer than this docker CLI) makes the missing source.
        var created = Path.Combine(D.Dir, "made-" + Guid.NewGuid().ToString("N")[..6]);
        var made = await D.WharfAsync("run", "--rm", "--mount", $"type=bind,src={created},dst=/m,bind-create-src", "busybox", "true");
        Assert.True(made.ExitCode == 0, made.Stderr);
        Assert.True(Directory.Exists(created));
    }

    [Fact]
    public async Task SystemDfAndEventsReportVolumes()
    {
        var v = Unique("df");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await DockerOk("volume", "create", v);
        await DockerOk("run", "--rm", "-v", v + ":/d", "busybox", "sh", "-c", "head -c 2000 /dev/zero > /d/z");
        var df = await DockerOk("system", "df", "-v");
        Assert.Matches($@"{v}\s+0\s+2kB", df.Stdout);
        Assert.Matches(@"Local Volumes\s+\d+\s+\d+\s+", (await DockerOk("system", "df")).Stdout);
        await DockerOk("volume", "rm", v);
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = await DockerOk("events", "--since", since, "--until", until, "--filter", "type=volume", "--filter", "volume=" + v, "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.destination}}");
        Assert.Equal(["create " + v + " <no value>", "mount " + v + " /d", "unmount " + v + " <no value>", "destroy " + v + " <no value>"], events.Stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task WharfVolumeCommandsAnswerLikeDocker()
    {
        var label = "wharf-cli=" + Guid.NewGuid().ToString("N")[..8];
        var a = Unique("w-a");
        Assert.Equal(a, (await D.WharfAsync("volume", "create", "--label", label, "-o", "type=tmpfs", "-o", "device=tmpfs", a)).Stdout.Trim());
        await DockerOk("volume", "create", "--label", label, Unique("w-b"));
        foreach (var args in new[]
        {
            new[] { "volume", "ls", "--filter", "label=" + label },
            ["volume", "ls", "-q", "--filter", "label=" + label],
            ["volume", "ls", "--filter", "label=" + label, "--format", "{{.Name}} {{.Driver}} {{.Labels}} {{.Scope}} {{.Links}}"],
            ["volume", "ls", "--filter", "label=" + label, "--format", "table {{.Name}}\t{{.Mountpoint}}"],
            ["volume", "inspect", a],
            ["volume", "inspect", "-f", "{{.Name}} {{.Options.type}}", a],
            ["volume", "inspect", a, "no-such-volume"],
            ["inspect", "--type", "volume", a],
        })
        {
            var docker = await D.DockerAsync(args);
            var wharf = await D.WharfAsync(args);
            Assert.True((docker.ExitCode, docker.Stdout, docker.Stderr) == (wharf.ExitCode, wharf.Stdout, wharf.Stderr), $"{string.Join(' ', args)}\ndocker: {docker.ExitCode}\n{docker.Stdout}{docker.Stderr}\nwharf: {wharf.ExitCode}\n{wharf.Stdout}{wharf.Stderr}");
        }

        var c = (await DockerOk("create", "-v", a + ":/a", "busybox", "true")).Stdout.Trim();
        var rm = await D.WharfAsync("volume", "rm", a, "no-such-volume");
        Assert.Equal(1, rm.ExitCode);
        Assert.Equal($"Error response from daemon: remove {a}: volume is in use - [{c}]\nError response from daemon: get no-such-volume: no such volume", rm.Stderr.Trim());
        await DockerOk("rm", c);
        var prune = await D.WharfAsync("volume", "prune", "-a", "-f", "--filter", "label=" + label);
        Assert.Equal(0, prune.ExitCode);
        Assert.StartsWith("Deleted Volumes:\n", prune.Stdout, StringComparison.Ordinal);
        Assert.Equal([a], await VolumeNamesAsync("label=" + label));
        Assert.Equal(a + "\n", (await D.WharfAsync("volume", "rm", a)).Stdout);
    }

    [Fact]
    public async Task VolumeSubpathMountsADirectoryInsideTheVolume()
    {
        var v = Unique("sub");
        await DockerOk("run", "--rm", "-v", v + ":/v", "busybox", "sh", "-c", "mkdir -p /v/dir && echo inner > /v/dir/f && ln -s /../../.. /v/up");
        Assert.Equal("inner", (await DockerOk("run", "--rm", "--mount", $"type=volume,src={v},dst=/s,volume-subpath=dir", "busybox", "cat", "/s/f")).Stdout.Trim());
        // A symlink in the volume cannot lead the mount out of it.
        var up = await DockerOk("run", "--rm", "--mount", $"type=volume,src={v},dst=/s,volume-subpath=up", "busybox", "ls", "/s");
        Assert.Contains("dir", up.Stdout, StringComparison.Ordinal);
        var missing = await D.DockerAsync("run", "--rm", "--mount", $"type=volume,src={v},dst=/s,volume-subpath=nope", "busybox", "true");
        Assert.NotEqual(0, missing.ExitCode);
        await DockerOk("volume", "rm", v);
    }

    [Fact]
    public async Task WharfRunMountsVolumes()
    {
        var v = Unique("wrun");
        var r = await D.WharfAsync("run", "--rm", "-v", v + ":/v", "--mount", "type=tmpfs,dst=/t,tmpfs-size=64k", "busybox", "sh", "-c", "echo w > /v/w && grep ' /t ' /proc/mounts");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("size=64k", r.Stdout, StringComparison.Ordinal);
        var src = Unique("wsrc");
        await D.WharfAsync("create", "--name", src, "-v", v + ":/v", "busybox", "true");
        Assert.Equal("w", (await D.WharfAsync("run", "--rm", "--volumes-from", src + ":ro", "busybox", "cat", "/v/w")).Stdout.Trim());
        var bad = await D.WharfAsync("run", "--rm", "--mount", "type=bind,bogus=1", "busybox", "true");
        Assert.Equal(125, bad.ExitCode);
        Assert.StartsWith("invalid argument \"type=bind,bogus=1\" for \"--mount\" flag: unknown option 'bogus' in 'bogus=1'", bad.Stderr, StringComparison.Ordinal);
        await D.WharfAsync("rm", src);
        await DockerOk("volume", "rm", v);
    }
}
