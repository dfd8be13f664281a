using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>The real docker CLI (28.x) pointed at a real wharfd.</summary>
public sealed class DockerCliTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync() => _d = await WharfDaemon.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task VersionShowsWharfServerAndNegotiatedApi()
    {
        var r = await _d.DockerAsync("version", "--format", "{{.Server.Platform.Name}}|{{.Server.APIVersion}}|{{.Client.APIVersion}}");
        Assert.Equal(0, r.ExitCode);
        var parts = r.Stdout.Trim().Split('|');
        Assert.Equal("Wharf Engine", parts[0]);
        Assert.True(Version.Parse(parts[1]) >= new Version(1, 41), r.Stdout);
        Assert.Equal(parts[1], parts[2]);
    }

    [Fact]
    public async Task ImportListTagInspectHistoryRemove()
    {
        var tarPath = Path.Combine(_d.Dir, "rootfs.tar");
        await File.WriteAllBytesAsync(tarPath, Tars.Busybox("cli"));
        var imp = await _d.DockerWithStdinAsync(tarPath, "import", "-c", "CMD [\"sh\"]", "-c", "LABEL team=wharf", "-m", "first import", "-", "cli/busybox:1.0");
        Assert.True(imp.ExitCode == 0, imp.Stderr);
        var id = imp.Stdout.Trim();
        Assert.StartsWith("sha256:", id);

        var images = await _d.DockerAsync("images");
        Assert.Equal(0, images.ExitCode);
        var lines = images.Stdout.Trim().Split('\n');
        Assert.Matches(@"^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("cli/busybox", StringComparison.Ordinal) && l.Contains("1.0", StringComparison.Ordinal) && l.Contains(id[7..19], StringComparison.Ordinal));

        Assert.Equal(0, (await _d.DockerAsync("tag", "cli/busybox:1.0", "other/name:x")).ExitCode);
        var inspect = await _d.DockerAsync("image", "inspect", "other/name:x");
        Assert.Equal(0, inspect.ExitCode);
        var doc = JsonNode.Parse(inspect.Stdout)!.AsArray()[0]!;
        Assert.Equal(id, doc["Id"]!.GetValue<string>());
        Assert.Equal("wharf", doc["Config"]!["Labels"]!["team"]!.GetValue<string>());
        Assert.Equal("sh", doc["Config"]!["Cmd"]![0]!.GetValue<string>());
        Assert.Equal(2, doc["RepoTags"]!.AsArray().Count);

        var fmt = await _d.DockerAsync("image", "inspect", "-f", "{{.Comment}} {{index .Config.Labels \"team\"}}", id);
        Assert.Equal("first import wharf", fmt.Stdout.Trim());

        var history = await _d.DockerAsync("history", "--no-trunc", "cli/busybox:1.0");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains(id, history.Stdout, StringComparison.Ordinal);
        Assert.Contains("first import", history.Stdout, StringComparison.Ordinal);

        // Referenced in two repositories: removal by ID needs force (409).
        var conflict = await _d.DockerAsync("rmi", id[7..19]);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("must be forced", conflict.Stderr, StringComparison.Ordinal);

        var untag = await _d.DockerAsync("rmi", "other/name:x");
        Assert.Equal("Untagged: other/name:x", untag.Stdout.Trim());
        var rm = await _d.DockerAsync("rmi", "cli/busybox:1.0");
        Assert.Contains("Untagged: cli/busybox:1.0", rm.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deleted: " + id, rm.Stdout, StringComparison.Ordinal);
        var after = await _d.DockerAsync("images", "-q");
        Assert.Equal("", after.Stdout.Trim());
        Assert.Empty(Directory.GetFiles(Path.Combine(_d.DataRoot, "content", "blobs", "sha256")));
    }

    [Fact]
    public async Task SaveThenLoadKeepsTheImageId()
    {
        var id = await _d.ImportAsync(Tars.Busybox("roundtrip"), "round/trip", "v1", "CMD [\"sh\"]");
        var archive = Path.Combine(_d.Dir, "saved.tar");
        var save = await _d.DockerAsync("save", "-o", archive, "round/trip:v1");
        Assert.True(save.ExitCode == 0, save.Stderr);
        var rm = await _d.DockerAsync("rmi", "round/trip:v1");
        Assert.Equal(0, rm.ExitCode);
        Assert.Equal("", (await _d.DockerAsync("images", "-q")).Stdout.Trim());

        var load = await _d.DockerAsync("load", "-i", archive);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Contains("Loaded image: round/trip:v1", load.Stdout, StringComparison.Ordinal);
        var again = await _d.DockerAsync("image", "inspect", "-f", "{{.Id}}", "round/trip:v1");
        Assert.Equal(id, again.Stdout.Trim());

        // The archive is also an OCI image layout.
        var list = await ProcessRunner.RunAsync("tar", ["-tf", archive]);
        Assert.Contains("oci-layout", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("index.json", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("manifest.json", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PruneAndSystemDf()
    {
        await _d.ImportAsync(Tars.Busybox("keep"), "keep/me", "latest");
        var dangling = await _d.ImportAsync(Tars.Busybox("dangling"), "dang/ling", "latest");
        await _d.SendAsync(HttpMethod.Post, "/images/dang/ling:latest/tag?repo=tmp/x&tag=y");
        // Moving both tags elsewhere leaves the second image dangling.
        await _d.SendAsync(HttpMethod.Post, "/images/keep/me:latest/tag?repo=dang/ling&tag=latest");
        await _d.SendAsync(HttpMethod.Post, "/images/keep/me:latest/tag?repo=tmp/x&tag=y");
        var dl = await _d.DockerAsync("images", "-q", "--no-trunc", "--filter", "dangling=true");
        Assert.Equal(dangling, dl.Stdout.Trim());

        var df = await _d.DockerAsync("system", "df");
        Assert.Equal(0, df.ExitCode);
        Assert.Matches(@"Images\s+2\s+0\s+", df.Stdout);

        var prune = await _d.DockerAsync("image", "prune", "-f");
        Assert.Equal(0, prune.ExitCode);
        Assert.Contains("deleted: " + dangling, prune.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Total reclaimed space:", prune.Stdout, StringComparison.Ordinal);
        Assert.Single((await _d.DockerAsync("images", "-q")).Stdout.Trim().Split('\n').Distinct());
    }

    [Fact]
    public async Task LoadOfEscapingTarFailsAndWritesNothingOutside()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_d.Dir)!, "wharf-escape-" + Guid.NewGuid().ToString("N"));
        var evil = Tars.Build(w =>
        {
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../" + Path.GetFileName(outside)) { DataStream = new MemoryStream("x"u8.ToArray()) });
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream("[]"u8.ToArray()) });
        });
        var path = Path.Combine(_d.Dir, "evil.tar");
        await File.WriteAllBytesAsync(path, evil);
        var r = await _d.DockerAsync("load", "-i", path);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("escapes", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(Path.Combine(_d.Dir, Path.GetFileName(outside))));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_d.DataRoot, "content", "ingest")));
    }
}
