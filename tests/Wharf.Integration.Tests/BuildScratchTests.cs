using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>FROM scratch</c> builds with the docker CLI's legacy builder against a real wharfd: the
/// typical static-binary multi-stage image builds and runs, metadata-only images behave as
/// dockerd's do, and RUN on an empty root fails cleanly.
/// </summary>
public sealed class BuildScratchTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-scratch"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private string Context(string name, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(_d.Dir, "ctx-" + name);
        Directory.CreateDirectory(dir);
        foreach (var (path, content) in files)
        {
            File.WriteAllText(Path.Combine(dir, path), content);
        }

        return dir;
    }

    private async Task AssertNoContainersAsync()
    {
        var ps = await _d.DockerAsync("ps", "-aq");
        Assert.Equal("", ps.Stdout.Trim());
        Assert.DoesNotContain(_d.Dir, await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaticBinaryOnScratchBuildsAndRuns()
    {
        var ctx = Context("static",
            ("Dockerfile", """
                FROM busybox AS b
                RUN echo made > /made.txt
                FROM scratch
                COPY --from=b /bin/busybox /busybox
                COPY --chown=5:6 hello.txt /d/
                COPY --from=b /made.txt /
                WORKDIR /w
                ENTRYPOINT ["/busybox"]
                CMD ["cat", "/d/hello.txt", "/made.txt"]
                """),
            ("hello.txt", "hi\n"));
        var r = await _d.LegacyBuildAsync("-t", "static:1", ctx);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("Step 3/9 : FROM scratch\n ---> \n", r.Stdout, StringComparison.Ordinal);

        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "static:1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("hi\nmade\n", run.Stdout);
        var owner = await _d.DockerAsync("run", "--rm", "--network", "none", "static:1", "stat", "-c", "%u:%g %a %n", "/d/hello.txt", "/d", "/w");
        Assert.Equal("5:6 644 /d/hello.txt\n5:6 755 /d\n0:0 755 /w\n", owner.Stdout);

        var inspect = JsonNode.Parse((await _d.DockerAsync("image", "inspect", "static:1")).Stdout)![0]!;
        Assert.Equal(4, inspect["RootFS"]!["Layers"]!.AsArray().Count);
        Assert.Equal("linux", inspect["Os"]!.GetValue<string>());
        Assert.Equal("/w", inspect["Config"]!["WorkingDir"]!.GetValue<string>());
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], inspect["Config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()));

        // Unchanged: a full cache hit, the same image.
        var again = await _d.LegacyBuildAsync("-q", "-t", "static:1", ctx);
        Assert.Equal(inspect["Id"]!.GetValue<string>(), again.Stdout.Trim());

        // A later stage copies out of a scratch stage.
        var from = Context("from-scratch-stage", ("Dockerfile", "FROM scratch AS s\nCOPY hello.txt /h\nFROM busybox\nCOPY --from=s /h /h2\n"), ("hello.txt", "from s\n"));
        var f = await _d.LegacyBuildAsync("-t", "fss:1", from);
        Assert.True(f.ExitCode == 0, f.Stderr + f.Stdout);
        var cat = await _d.DockerAsync("run", "--rm", "--network", "none", "fss:1", "cat", "/h2");
        Assert.Equal("from s\n", cat.Stdout);
        await AssertNoContainersAsync();
    }

    [Fact]
    public async Task BaseImageFromARootfsTarballOnScratch()
    {
        var ctx = Context("rootfs", ("Dockerfile", "FROM scratch\nADD rootfs.tar.gz /\nADD plain.tar /opt/\nCMD [\"sh\", \"-c\", \"echo from-rootfs; cat /opt/p.txt\"]\n"));
        using (var gz = new System.IO.Compression.GZipStream(File.Create(Path.Combine(ctx, "rootfs.tar.gz")), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(Tars.Busybox("rootfs"));
        }

        await File.WriteAllBytesAsync(Path.Combine(ctx, "plain.tar"), Tars.Build(("p.txt", "plain\n")));
        var r = await _d.LegacyBuildAsync("-t", "rootfs:1", ctx);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "rootfs:1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("from-rootfs\nplain\n", run.Stdout);
        await AssertNoContainersAsync();
    }

    [Fact]
    public async Task MetadataOnlyScratchImageHasNoLayersAndTheEngineCopes()
    {
        var r = await _d.LegacyBuildAsync("-t", "meta:1", Context("meta", ("Dockerfile", "FROM scratch\nLABEL a=b\nCMD [\"x\"]\n")));
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        var inspect = JsonNode.Parse((await _d.DockerAsync("image", "inspect", "meta:1")).Stdout)![0]!;
        Assert.Equal("layers", inspect["RootFS"]!["Type"]!.GetValue<string>());
        Assert.True(inspect["RootFS"]!["Layers"] is null || inspect["RootFS"]!["Layers"]!.AsArray().Count == 0);
        Assert.Equal(0, inspect["Size"]!.GetValue<long>());
        Assert.Equal("b", inspect["Config"]!["Labels"]!["a"]!.GetValue<string>());
        var history = await _d.DockerAsync("history", "-q", "meta:1");
        Assert.True(history.ExitCode == 0, history.Stderr);

        // dockerd 20.10 refuses to export an image without layers ("empty export - not
        // implemented", tests/golden/dockerd-20.10/build-gaps); wharfd saves it with an empty
        // layer list and loads it back as the same image.
        var tar = Path.Combine(_d.Dir, "meta.tar");
        var save = await _d.DockerAsync("save", "-o", tar, "meta:1");
        Assert.True(save.ExitCode == 0, save.Stderr);
        var id = inspect["Id"]!.GetValue<string>();
        var tagged = await _d.DockerAsync("tag", "meta:1", "meta:copy");
        Assert.True(tagged.ExitCode == 0, tagged.Stderr);
        Assert.Equal(0, (await _d.DockerAsync("rmi", "meta:1", "meta:copy")).ExitCode);
        var load = await _d.DockerAsync("load", "-i", tar);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Contains("Loaded image: meta:1", load.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, JsonNode.Parse((await _d.DockerAsync("image", "inspect", "meta:1")).Stdout)![0]!["Id"]!.GetValue<string>());

        // A container of it is made (on an empty root) as dockerd makes one; it cannot start,
        // there is no command to run; it is removed like any other.
        var create = await _d.DockerAsync("create", "--network", "none", "--name", "meta-c", "meta:1");
        Assert.True(create.ExitCode == 0, create.Stderr);
        var start = await _d.DockerAsync("start", "meta-c");
        Assert.NotEqual(0, start.ExitCode);
        Assert.Contains("\"x\"", start.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await _d.DockerAsync("rm", "-f", "meta-c")).ExitCode);

        // A stage on it copies nothing out of it, and a later COPY gives it its first layer.
        var on = await _d.LegacyBuildAsync("-t", "meta:2", Context("meta-on", ("Dockerfile", "FROM meta:1\nCOPY f /f\n"), ("f", "f\n")));
        Assert.True(on.ExitCode == 0, on.Stderr + on.Stdout);
        var rmi = await _d.DockerAsync("rmi", "meta:2", "meta:1");
        Assert.True(rmi.ExitCode == 0, rmi.Stderr);
        Assert.NotEqual(0, (await _d.DockerAsync("image", "inspect", "meta:1")).ExitCode);

        var empty = await _d.LegacyBuildAsync(Context("empty", ("Dockerfile", "FROM scratch\n")));
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("No image was generated. Is your Dockerfile empty?", empty.Stderr, StringComparison.Ordinal);
        await AssertNoContainersAsync();
    }

    [Fact]
    public async Task RunOnScratchFailsNamingTheStepAndLeavesNothing()
    {
        var r = await _d.LegacyBuildAsync("-t", "runs:1", Context("run", ("Dockerfile", "FROM scratch\nLABEL a=b\nRUN echo hi\n")));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Step 3/3 : RUN echo hi", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("The command '/bin/sh -c echo hi' cannot run", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("stat /bin/sh: no such file or directory", r.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await _d.DockerAsync("image", "inspect", "runs:1")).ExitCode);

        var chown = await _d.LegacyBuildAsync(Context("chown", ("Dockerfile", "FROM scratch\nCOPY --chown=bob f /f\n"), ("f", "f\n")));
        Assert.NotEqual(0, chown.ExitCode);
        Assert.Contains("can't find uid for user bob", chown.Stderr, StringComparison.Ordinal);
        await AssertNoContainersAsync();
    }
}
