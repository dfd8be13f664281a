namespace Wharf.Integration.Tests;

/// <summary>
/// <c>docker build --cache-from</c> (legacy builder) against a real wharfd: steps are taken from
/// the named image's history and layers even when the daemon has neither the build cache nor the
/// intermediate images, only the image itself brought by <c>docker load</c>.
/// </summary>
public sealed class BuildCacheFromTests : IAsyncLifetime
{
    private const string Dockerfile = "FROM busybox\nRUN echo one > /one\nCOPY f.txt /f.txt\nWORKDIR /w\nENV A=1\nRUN echo two > two\nCMD [\"cat\", \"/w/two\"]\n";

    private WharfDaemon _d = null!;
    private string _ctx = "";

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-cachefrom"), "busybox", "latest", "CMD [\"sh\"]");
        _ctx = Path.Combine(_d.Dir, "ctx");
        Directory.CreateDirectory(_ctx);
        await File.WriteAllTextAsync(Path.Combine(_ctx, "f.txt"), "file\n");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<ProcessResult> BuildAsync(string dockerfile, params string[] args)
    {
        await File.WriteAllTextAsync(Path.Combine(_ctx, "Dockerfile"), dockerfile);
        var r = await _d.LegacyBuildAsync([.. args, _ctx]);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        return r;
    }

    private async Task<string> IdAsync(string name) => (await _d.DockerAsync("image", "inspect", "--format", "{{.Id}}", name)).Stdout.Trim();

    private static int Count(string text, string what) => text.Split(what).Length - 1;

    [Fact]
    public async Task StepsComeFromTheLoadedImageWithNoLocalCache()
    {
        await BuildAsync(Dockerfile, "-t", "cf:1");
        var id = await IdAsync("cf:1");

        // Leave the daemon with the image only: saved, removed with its intermediates, cache pruned, loaded back.
        var tar = Path.Combine(_d.Dir, "cf.tar");
        Assert.Equal(0, (await _d.DockerAsync("save", "-o", tar, "cf:1")).ExitCode);
        Assert.Equal(0, (await _d.DockerAsync("rmi", "cf:1")).ExitCode);
        Assert.Equal(0, (await _d.DockerAsync("builder", "prune", "-f")).ExitCode);
        Assert.Equal(0, (await _d.DockerAsync("load", "-i", tar)).ExitCode);
        var images = await _d.DockerAsync("images", "-aq");
        Assert.Equal(2, images.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());

        var cached = await BuildAsync(Dockerfile, "--cache-from", "cf:1", "--cache-from", "no-such-image:1", "-t", "cf:2");
        Assert.Equal(6, Count(cached.Stdout, "Using cache"));
        Assert.Equal(0, Count(cached.Stdout, "Running in"));
        Assert.Equal(id, await IdAsync("cf:2"));
        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "cf:2");
        Assert.Equal("two", run.Stdout.Trim());

        // A changed last step: the steps before it still come from the source, the new one runs.
        var changed = await BuildAsync(Dockerfile.Replace("echo two", "echo three", StringComparison.Ordinal), "--cache-from", "cf:1", "-t", "cf:3");
        Assert.Equal(4, Count(changed.Stdout, "Using cache"));
        Assert.Equal(1, Count(changed.Stdout, "Running in"));
        Assert.Equal("three", (await _d.DockerAsync("run", "--rm", "--network", "none", "cf:3")).Stdout.Trim());

        // The restored steps are the images a build without cache makes (reproducible IDs).
        var fresh = await BuildAsync(Dockerfile.Replace("echo two", "echo three", StringComparison.Ordinal), "--no-cache", "-q");
        Assert.Equal(await IdAsync("cf:3"), fresh.Stdout.Trim());
    }
}
