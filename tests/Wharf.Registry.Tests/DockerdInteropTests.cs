using System.Net;
using Wharf.TestSupport;

namespace Wharf.Registry.Tests;

/// <summary>Debian's dockerd 20.10 (through the real docker CLI) pushes to, pulls from, searches and logs in to the registry.</summary>
public sealed class DockerdInteropTests : IAsyncLifetime
{
    private PrivateDockerd _docker = null!;
    private string _work = null!;
    private string _archive = null!;

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("wharf-reg-docker-").FullName;
        var layout = Path.Combine(_work, "layout");
        OciLayout.Write(layout, "v1");
        _archive = Path.Combine(_work, "busybox.tar");
        await ProcessRunner.CheckAsync("/usr/bin/skopeo", "--insecure-policy", "copy", "--quiet", $"oci:{layout}:v1", $"docker-archive:{_archive}:interop/busybox:v1");
        _docker = await PrivateDockerd.StartAsync();
        await _docker.CheckAsync("load", "-i", _archive);
    }

    public async Task DisposeAsync()
    {
        await _docker.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task PushPullAndSearch()
    {
        await using var reg = await TestRegistry.StartAsync();
        var image = $"{reg.HostPort}/interop/busybox:v1";
        await _docker.CheckAsync("tag", "interop/busybox:v1", image);
        var push = await _docker.CheckAsync("push", image);
        Assert.Contains("digest: sha256:", push, StringComparison.Ordinal);
        using (var manifest = await reg.Client.GetAsync("/v2/interop/busybox/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest.Content.Headers.ContentType!.MediaType);
        }
        var id = (await _docker.CheckAsync("image", "inspect", "-f", "{{.Id}}", image)).Trim();
        await _docker.CheckAsync("rmi", image);
        await _docker.CheckAsync("rmi", "interop/busybox:v1");
        var pull = await _docker.CheckAsync("pull", image);
        Assert.Contains("Downloaded newer image", pull, StringComparison.Ordinal);
        Assert.Equal(id, (await _docker.CheckAsync("image", "inspect", "-f", "{{.Id}}", image)).Trim());

        // Pushing again finds every layer already there.
        var again = await _docker.CheckAsync("push", image);
        Assert.Contains("Layer already exists", again, StringComparison.Ordinal);

        var search = await _docker.CheckAsync("search", $"{reg.HostPort}/busy");
        Assert.Contains("interop/busybox", search, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task LoginThenPushAndPull(string mode)
    {
        var htpasswd = Path.Combine(_work, "htpasswd-" + mode);
        File.WriteAllText(htpasswd, "alice:" + BCrypt.Net.BCrypt.HashPassword("wonderland", 4) + "\n");
        await using var reg = await TestRegistry.StartAsync(c =>
        {
            c.Auth = mode;
            c.Htpasswd = htpasswd;
        });
        var image = $"{reg.HostPort}/private/busybox:v1";
        await _docker.CheckAsync("tag", "interop/busybox:v1", image);
        var (code, _, stderr) = await _docker.RunAsync("push", image);
        Assert.NotEqual(0, code);
        // Basic: docker has no credentials to send; token: the anonymous token lacks push, as on Docker Hub.
        Assert.Contains(mode == "basic" ? "no basic auth credentials" : "denied: requested access to the resource is denied", stderr, StringComparison.Ordinal);

        var (badCode, _, _) = await _docker.RunAsync("login", reg.HostPort, "-u", "alice", "-p", "wrong");
        Assert.NotEqual(0, badCode);
        var login = await _docker.CheckAsync("login", reg.HostPort, "-u", "alice", "-p", "wonderland");
        Assert.Contains("Login Succeeded", login, StringComparison.Ordinal);
        await _docker.CheckAsync("push", image);
        await _docker.CheckAsync("rmi", image);
        await _docker.CheckAsync("pull", image);
        Assert.Contains("private/busybox", await _docker.CheckAsync("search", $"{reg.HostPort}/busybox"), StringComparison.Ordinal);
        await _docker.CheckAsync("logout", reg.HostPort);
        // Without credentials the search shows nothing of the private repository.
        Assert.DoesNotContain("private/busybox", await _docker.CheckAsync("search", $"{reg.HostPort}/busybox"), StringComparison.Ordinal);
        await _docker.CheckAsync("rmi", image);
        var (anonCode, _, _) = await _docker.RunAsync("pull", image);
        Assert.NotEqual(0, anonCode);
    }
}
