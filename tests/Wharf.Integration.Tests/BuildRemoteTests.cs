using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>ADD &lt;URL&gt;</c> through the docker CLI's legacy builder against a real wharfd, from an
/// HTTP server the test runs on 127.0.0.1 (wharfd downloads in the host network namespace).
/// </summary>
public sealed class BuildRemoteTests : IAsyncLifetime
{
    private static readonly byte[] Payload = "payload\n"u8.ToArray();
    private static readonly byte[] Archive = LoopbackHttpServer.Gzip(Tars.Build(("inner.txt", "inner\n")));
    private readonly LoopbackHttpServer _http = new(Answer);
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-remote"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _d.DisposeAsync();
    }

    private string Url(string path) => _http.Url(path);

    private static HttpAnswer Answer(string path)
        => path.StartsWith("/missing", StringComparison.Ordinal)
            ? new HttpAnswer("404 Not Found", "nope\n"u8.ToArray())
            : new HttpAnswer("200 OK", path.EndsWith(".tar.gz", StringComparison.Ordinal) ? Archive : Payload, "Last-Modified: Thu, 02 Jan 2020 03:04:05 GMT");

    private Task<ProcessResult> DockerBuildAsync(string dockerfile, params string[] args)
    {
        var dir = Path.Combine(_d.Dir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        return _d.LegacyBuildAsync([.. args, dir]);
    }

    [Fact]
    public async Task AddUrlDownloadsWithDockersSemanticsAndCachesByContent()
    {
        var sha = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Payload));
        var dockerfile = $"""
            FROM busybox
            ADD {Url("/files/file.txt")} /d/
            ADD {Url("/a.tar.gz")} /t/
            ADD --chown=5:6 --chmod=755 {Url("/files/file.txt?v=1")} /c
            ADD --checksum={sha} {Url("/files/file.txt")} /k
            RUN stat -c '%a %u:%g %Y %n' /d/file.txt /t/a.tar.gz /c /k
            """;
        var r = await DockerBuildAsync(dockerfile, "-t", "remote:1");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("600 0:0 1577934245 /d/file.txt\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("600 0:0 1577934245 /t/a.tar.gz\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("755 5:6 1577934245 /c\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("600 0:0 1577934245 /k\n", r.Stdout, StringComparison.Ordinal);

        // Same content: every step is a cache hit (the download is checked, not trusted).
        var again = await DockerBuildAsync(dockerfile, "-t", "remote:1");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(5, again.Stdout.Split('\n').Count(l => l == " ---> Using cache"));

        // Onto scratch.
        var scratch = await DockerBuildAsync($"FROM scratch\nADD {Url("/files/file.txt")} /\n", "-t", "remote:scratch");
        Assert.True(scratch.ExitCode == 0, scratch.Stderr + scratch.Stdout);
    }

    [Fact]
    public async Task BadDownloadsFailCleanly()
    {
        var missing = await DockerBuildAsync($"FROM busybox\nADD {Url("/missing.txt")} /d/\n");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"ADD failed: failed to GET {Url("/missing.txt")} with status 404 Not Found: nope", missing.Stderr, StringComparison.Ordinal);

        var bad = await DockerBuildAsync($"FROM busybox\nADD --checksum=sha256:{new string('0', 64)} {Url("/f.txt")} /d/\n");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("digest mismatch", bad.Stderr, StringComparison.Ordinal);

        var noName = await DockerBuildAsync($"FROM busybox\nADD {Url("/")} /d/\n");
        Assert.NotEqual(0, noName.ExitCode);
        Assert.Contains($"cannot determine filename for source {Url("/")}", noName.Stderr, StringComparison.Ordinal);

        var ps = await _d.DockerAsync("ps", "-aq");
        Assert.Equal("", ps.Stdout.Trim());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_d.DataRoot, "build", "tmp")));
    }
}
