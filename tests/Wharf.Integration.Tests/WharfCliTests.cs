using System.Text.RegularExpressions;

namespace Wharf.Integration.Tests;

/// <summary>
/// wharf against a real wharfd: the image commands work, and their output is what the real
/// docker CLI prints against the same daemon.
/// </summary>
public sealed partial class WharfCliTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("cli-a"), "busybox", "latest", "CMD [\"sh\"]", "LABEL a=b");
        await _d.ImportAsync(Tars.Busybox("cli-b"), "localhost:5000/app", "v1");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Theory]
    [InlineData("images")]
    [InlineData("images", "-a", "--no-trunc")]
    [InlineData("images", "-q")]
    [InlineData("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}")]
    [InlineData("images", "--format", "table {{.Repository}}\t{{.Tag}}")]
    [InlineData("images", "--format", "json")]
    [InlineData("images", "busybox")]
    [InlineData("images", "--filter", "label=a=b")]
    [InlineData("history", "busybox")]
    [InlineData("history", "--no-trunc", "--format", "{{.ID}} {{.Comment}}", "busybox")]
    [InlineData("image", "inspect", "busybox")]
    [InlineData("image", "inspect", "-f", "{{.Config.Cmd}} {{json .Config.Labels}} {{.Os}}", "busybox")]
    [InlineData("system", "df")]
    [InlineData("system", "df", "-v")]
    [InlineData("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}")]
    [InlineData("info", "--format", "{{.Images}} {{.Driver}} {{.DockerRootDir}}")]
    public async Task OutputMatchesDocker(params string[] args)
    {
        var docker = await _d.DockerAsync(args);
        var wharf = await _d.WharfAsync(args);
        Assert.True(docker.ExitCode == 0, docker.Stderr);
        Assert.True(wharf.ExitCode == 0, wharf.Stderr);
        Assert.Equal(Normalize(docker.Stdout), Normalize(wharf.Stdout));
    }

    /// <summary>Relative times may tick between the two runs.</summary>
    private static string Normalize(string s) => Spaces().Replace(Ago().Replace(s, "X ago"), "  ");

    [GeneratedRegex(@"(Less than a second|About a minute|About an hour|\d+ (second|minute|hour|day|week|month|year)s?) ago")]
    private static partial Regex Ago();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    [Fact]
    public async Task ImportTagSaveLoadRemoveRoundTrip()
    {
        var tar = Path.Combine(_d.Dir, "w.tar");
        await File.WriteAllBytesAsync(tar, Tars.Busybox("wharf-import"));
        var imp = await _d.WharfWithStdinAsync(tar, "import", "-c", "CMD [\"sh\"]", "-m", "via wharf", "-", "wharf/imported:1");
        Assert.True(imp.ExitCode == 0, imp.Stderr);
        var id = imp.Stdout.Trim();
        Assert.StartsWith("sha256:", id);

        Assert.Equal(0, (await _d.WharfAsync("tag", "wharf/imported:1", "wharf/imported:2")).ExitCode);
        var archive = Path.Combine(_d.Dir, "w-saved.tar");
        Assert.Equal(0, (await _d.WharfAsync("save", "-o", archive, "wharf/imported")).ExitCode);
        var rmi = await _d.WharfAsync("rmi", "wharf/imported:1", "wharf/imported:2");
        Assert.Contains("Untagged: wharf/imported:1", rmi.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deleted: " + id, rmi.Stdout, StringComparison.Ordinal);

        var load = await _d.WharfAsync("load", "-i", archive);
        Assert.True(load.ExitCode == 0, load.Stderr);
        Assert.Contains("Loaded image: wharf/imported:1", load.Stdout, StringComparison.Ordinal);
        Assert.Contains("Loaded image: wharf/imported:2", load.Stdout, StringComparison.Ordinal);
        var again = await _d.WharfAsync("image", "inspect", "-f", "{{.Id}}", "wharf/imported:2");
        Assert.Equal(id, again.Stdout.Trim());
    }

    [Fact]
    public async Task ErrorsComeFromTheDaemonWithDockersWording()
    {
        var r = await _d.WharfAsync("rmi", "nosuchimage");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error response from daemon: No such image: nosuchimage:latest", r.Stderr, StringComparison.Ordinal);
        var badFlag = await _d.WharfAsync("images", "--bogus");
        Assert.Equal(125, badFlag.ExitCode);
        Assert.Contains("unknown flag: --bogus", badFlag.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostFlagPicksTheDaemon()
    {
        var r = await ProcessRunner.RunAsync(Repo.Wharf, ["-H", _d.Host, "images", "-q"], new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" });
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(2, r.Stdout.Trim().Split('\n').Length);
        var env = await ProcessRunner.RunAsync(Repo.Wharf, ["images", "-q"], new Dictionary<string, string> { ["WHARF_HOST"] = _d.Host, ["DOCKER_HOST"] = "unix:///nonexistent.sock" });
        Assert.True(env.ExitCode == 0, env.Stderr);
    }
}
