namespace Wharf.Integration.Tests;

/// <summary>
/// <c>COPY --parents</c>, <c>--exclude</c> and <c>--link</c> built by the docker CLI's legacy
/// builder against a real wharfd, on an image with layers and on scratch.
/// </summary>
public sealed class BuildCopyFlagsTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;
    private string _ctx = "";

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-copyflags"), "busybox", "latest", "CMD [\"sh\"]");
        _ctx = Path.Combine(_d.Dir, "ctx");
        foreach (var f in new[] { "x/a.txt", "x/b.md", "y/z/c.txt", "y/z/d.md", "top.txt" })
        {
            var path = Path.Combine(_ctx, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, f + "\n");
        }
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<string> BuildAsync(string dockerfile, string tag)
    {
        await File.WriteAllTextAsync(Path.Combine(_ctx, "Dockerfile"), dockerfile);
        var r = await _d.LegacyBuildAsync("-q", "-t", tag, _ctx);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        return r.Stdout.Trim();
    }

    /// <summary>Every regular file below /out of the image, as the container lists them.</summary>
    private async Task<List<string>> FilesAsync(string image)
    {
        var r = await _d.DockerAsync("run", "--rm", "--network", "none", image, "find", "/out", "-type", "f");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task ParentsExcludeAndLinkShapeTheCopiedFiles()
    {
        await BuildAsync("FROM busybox\nCOPY --parents x/a.txt ./y/./z /out/\nCOPY --parents --exclude=*.md x /out/p/\nCOPY --exclude=*.md y/z/* /out/e/\nCOPY --exclude=**/*.md y /out/d/\n", "cf:flags");
        Assert.Equal(
            ["/out/d/z/c.txt", "/out/e/c.txt", "/out/p/x/a.txt", "/out/x/a.txt", "/out/z/c.txt", "/out/z/d.md"],
            await FilesAsync("cf:flags"));

        // --link gives the same files as COPY, here and on scratch.
        var plain = await BuildAsync("FROM busybox\nCOPY x /out/\n", "cf:plain");
        var linked = await BuildAsync("FROM busybox\nCOPY --link x /out/\n", "cf:link");
        Assert.Equal(await FilesAsync("cf:plain"), await FilesAsync("cf:link"));
        Assert.Equal(["/out/a.txt", "/out/b.md"], await FilesAsync("cf:link"));
        var layers = await _d.DockerAsync("image", "inspect", "--format", "{{json .RootFS.Layers}}", plain, linked);
        var lines = layers.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0], lines[1]);

        await BuildAsync("FROM scratch\nCOPY --parents y/z/c.txt top.txt /out/\n", "cf:scratch");
        var created = await _d.DockerAsync("create", "--name", "cf-scratch", "cf:scratch", "/none");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var export = Path.Combine(_d.Dir, "scratch.tar");
        Assert.Equal(0, (await _d.DockerAsync("export", "-o", export, "cf-scratch")).ExitCode);
        Assert.Equal(0, (await _d.DockerAsync("rm", "cf-scratch")).ExitCode);
        var entries = await ProcessRunner.RunAsync("tar", ["-tf", export]);
        Assert.Contains("out/y/z/c.txt", entries.Stdout, StringComparison.Ordinal);
        Assert.Contains("out/top.txt", entries.Stdout, StringComparison.Ordinal);
    }
}
