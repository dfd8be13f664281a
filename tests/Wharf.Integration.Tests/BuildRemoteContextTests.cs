using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>POST /build?remote=</c> against a real wharfd: a context from a tar, a gzip tar or a plain
/// Dockerfile served by an HTTP server the test runs on 127.0.0.1, and from a git repository made
/// in a temp dir (cloned by the daemon with git at <c>#ref:subdir</c>); bad remotes are 400s.
/// </summary>
public sealed class BuildRemoteContextTests : IAsyncLifetime
{
    private readonly Dictionary<string, (string Type, byte[] Body)> _files = new(StringComparer.Ordinal);
    private readonly LoopbackHttpServer _http;
    private WharfDaemon _d = null!;

    public BuildRemoteContextTests()
    {
        _http = new LoopbackHttpServer(path => _files.TryGetValue(path, out var file)
            ? new HttpAnswer("200 OK", file.Body, "Content-Type: " + file.Type)
            : new HttpAnswer("404 Not Found", "no such file\n"u8.ToArray(), "Content-Type: text/plain"));
    }

    public async Task InitializeAsync()
    {
        var tar = Tars.Build(("Dockerfile", "FROM busybox\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n"), ("hello.txt", "from tar\n"));
        _files["/ctx.tar"] = ("application/x-tar", tar);
        _files["/ctx.tar.gz"] = ("application/octet-stream", LoopbackHttpServer.Gzip(Tars.Build(("Dockerfile", "FROM busybox\nCOPY hello.txt /\nCMD [\"cat\", \"/hello.txt\"]\n"), ("hello.txt", "from gzip\n"))));
        _files["/Dockerfile"] = ("text/plain; charset=utf-8", "FROM busybox\nRUN echo from-dockerfile > /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n"u8.ToArray());
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-remote-ctx"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _d.DisposeAsync();
    }

    private string Url(string path) => _http.Url(path);

    private async Task<(int Status, string Body)> BuildAsync(string remote, string tag)
    {
        using var content = new ByteArrayContent([]);
        using var response = await _d.Client.PostAsync($"/v1.47/build?remote={Uri.EscapeDataString(remote)}&t={tag}", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> RunAsync(string image)
    {
        var r = await _d.DockerAsync("run", "--rm", "--network", "none", image);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Trim();
    }

    private static async Task GitAsync(string dir, params string[] args)
    {
        var r = await ProcessRunner.RunAsync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", .. args], new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = "/dev/null" });
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [Fact]
    public async Task UrlContextsAreTarsGzipTarsOrADockerfile()
    {
        var (status, body) = await BuildAsync(Url("/ctx.tar"), "rc:tar");
        Assert.True(status == 200 && body.Contains("Successfully tagged rc:tar", StringComparison.Ordinal), body);
        Assert.Equal("from tar", await RunAsync("rc:tar"));

        (status, body) = await BuildAsync(Url("/ctx.tar.gz"), "rc:gz");
        Assert.True(status == 200 && body.Contains("Successfully tagged rc:gz", StringComparison.Ordinal), body);
        Assert.Equal("from gzip", await RunAsync("rc:gz"));

        (status, body) = await BuildAsync(Url("/Dockerfile"), "rc:df");
        Assert.True(status == 200 && body.Contains("Successfully tagged rc:df", StringComparison.Ordinal), body);
        Assert.Equal("from-dockerfile", await RunAsync("rc:df"));

        (status, body) = await BuildAsync(Url("/missing.tar"), "rc:missing");
        Assert.Equal(400, status);
        Assert.Contains("404", JsonNode.Parse(body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, body) = await BuildAsync("ftp://127.0.0.1/x.tar", "rc:ftp");
        Assert.Equal(400, status);
        Assert.Contains("could not be recognized as URL", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitContextsAreClonedAtTheRefAndSubdirectory()
    {
        var repo = Path.Combine(_d.Dir, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "app"));
        await GitAsync(repo, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(repo, "app", "Dockerfile"), "FROM busybox\nCOPY v.txt /\nCMD [\"cat\", \"/v.txt\"]\n");
        await File.WriteAllTextAsync(Path.Combine(repo, "app", "v.txt"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM busybox\nCOPY app/v.txt /\nCMD [\"cat\", \"/v.txt\"]\n");
        await GitAsync(repo, "add", "-A");
        await GitAsync(repo, "commit", "-q", "-m", "one");
        await GitAsync(repo, "tag", "v1");
        await File.WriteAllTextAsync(Path.Combine(repo, "app", "v.txt"), "two\n");
        await GitAsync(repo, "commit", "-q", "-am", "two");

        var (status, body) = await BuildAsync(repo + "#v1:app", "rc:git1");
        Assert.True(status == 200 && body.Contains("Successfully tagged", StringComparison.Ordinal), body);
        Assert.Equal("one", await RunAsync("rc:git1"));

        (status, body) = await BuildAsync("file://" + repo, "rc:git2");
        Assert.True(status == 200 && body.Contains("Successfully tagged", StringComparison.Ordinal), body);
        Assert.Equal("two", await RunAsync("rc:git2"));

        (status, body) = await BuildAsync(repo + "#main:../..", "rc:bad");
        Assert.Equal(400, status);
        (status, body) = await BuildAsync(repo + "#no-such-ref", "rc:bad");
        Assert.Equal(400, status);
        Assert.Contains("error fetching", body, StringComparison.Ordinal);
        (status, _) = await BuildAsync(repo + "#v1:missing", "rc:bad");
        Assert.Equal(400, status);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_d.DataRoot, "build", "tmp")));
    }
}
