using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Push, login and distribution inspect through wharfd against Debian's docker-registry, with the real docker CLI.</summary>
public sealed class RegistryPushTests
{
    private static string Config() => "{\"cgroup-parent\":\"wharf-it-push-" + Guid.NewGuid().ToString("N")[..8] + "\"}";

    [Fact]
    public async Task ABuiltImageIsPushedOnceThenEveryLayerAlreadyExistsAndItPullsBack()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config());
        var image = reg.Host + "/app/built:v1";
        var id = await d.ImportAsync(Tars.Busybox("pushed"), reg.Host + "/app/built", "v1", "CMD [\"sh\"]");

        var push = await d.DockerAsync("push", image);
        Assert.True(push.ExitCode == 0, push.Stderr + push.Stdout);
        Assert.Contains($"The push refers to repository [{reg.Host}/app/built]", push.Stdout);
        Assert.Contains("Pushed", push.Stdout);
        var line = push.Stdout.Split('\n').Single(l => l.StartsWith("v1: digest: sha256:", StringComparison.Ordinal));
        var digest = line.Split(' ')[2];

        // As dockerd: the pushed manifest names the image (RepoDigests, images --digests).
        var pushed = JsonNode.Parse((await d.DockerAsync("image", "inspect", image)).Stdout)![0]!;
        Assert.Equal([reg.Host + "/app/built@" + digest], pushed["RepoDigests"]!.AsArray().Select(x => x!.GetValue<string>()));
        var digests = await d.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}");
        Assert.Contains(reg.Host + "/app/built v1 " + digest, digests.Stdout);

        var again = await d.DockerAsync("push", image);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("Layer already exists", again.Stdout);
        Assert.DoesNotContain("Pushed", again.Stdout);
        Assert.Contains(line, again.Stdout);

        var inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--tls-verify=false", "docker://" + image]);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Equal(digest, JsonNode.Parse(inspect.Stdout)!["Digest"]!.GetValue<string>());

        Assert.Equal(0, (await d.DockerAsync("rmi", "-f", id)).ExitCode);
        var pull = await d.DockerAsync("pull", image);
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Contains("Digest: " + digest, pull.Stdout);
        var pulled = JsonNode.Parse((await d.DockerAsync("image", "inspect", image)).Stdout)![0]!;
        Assert.Equal(id, pulled["Id"]!.GetValue<string>());
        Assert.Equal([reg.Host + "/app/built@" + digest], pulled["RepoDigests"]!.AsArray().Select(x => x!.GetValue<string>()));

        var dist = await d.GetJsonAsync($"/distribution/{image}/json");
        Assert.Equal(digest, dist["Descriptor"]!["digest"]!.GetValue<string>());
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", dist["Descriptor"]!["mediaType"]!.GetValue<string>());
        Assert.Equal("linux", dist["Platforms"]![0]!["os"]!.GetValue<string>());

        var missing = await d.DockerAsync("push", reg.Host + "/app/none:v1");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("An image does not exist locally with the tag: " + reg.Host + "/app/none", missing.Stderr);
    }

    [Fact]
    public async Task APulledImageIsPushedWithItsManifestBytesAndLayersMountedFromItsRepository()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config());
        var local = await d.ImportAsync(Tars.Busybox("mount"), "seed/mount", "v1");
        await reg.PushWithSkopeoAsync(d, "seed/mount:v1", "src/bb:v1");
        Assert.Equal(0, (await d.DockerAsync("rmi", "-f", local)).ExitCode);

        var pull = await d.DockerAsync("pull", reg.Host + "/src/bb:v1");
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        var digest = pull.Stdout.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))["Digest: ".Length..].Trim();
        Assert.Equal(0, (await d.DockerAsync("tag", reg.Host + "/src/bb:v1", reg.Host + "/dst/bb:v2")).ExitCode);

        var push = await d.DockerAsync("push", reg.Host + "/dst/bb:v2");
        Assert.True(push.ExitCode == 0, push.Stderr + push.Stdout);
        Assert.Contains("Mounted from src/bb", push.Stdout);
        Assert.Contains($"v2: digest: {digest} size:", push.Stdout);
    }

    [Fact]
    public async Task LoginChecksBasicAuthAndTheCliCredentialsReachPullAndPush()
    {
        await using var reg = await LocalRegistry.StartAsync("alice", "s3cret-pw");
        await using var d = await WharfDaemon.StartAsync(Config());
        var id = await d.ImportAsync(Tars.Busybox("auth"), reg.Host + "/private/app", "v1");

        var anonymous = await d.DockerAsync("push", reg.Host + "/private/app:v1");
        Assert.NotEqual(0, anonymous.ExitCode);

        var wrong = await d.DockerAsync("login", reg.Host, "-u", "alice", "-p", "wrong");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("401", wrong.Stderr);

        var (status, body) = await d.SendAsync(HttpMethod.Post, "/auth", new StringContent($"{{\"username\":\"alice\",\"password\":\"s3cret-pw\",\"serveraddress\":\"{reg.Host}\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(200, status);
        Assert.Equal("Login Succeeded", JsonNode.Parse(body)!["Status"]!.GetValue<string>());

        var login = await d.DockerAsync("login", reg.Host, "-u", "alice", "-p", "s3cret-pw");
        Assert.True(login.ExitCode == 0, login.Stderr);
        Assert.Contains("Login Succeeded", login.Stdout);

        var push = await d.DockerAsync("push", reg.Host + "/private/app:v1");
        Assert.True(push.ExitCode == 0, push.Stderr + push.Stdout);
        Assert.Equal(0, (await d.DockerAsync("rmi", "-f", id)).ExitCode);
        var pull = await d.DockerAsync("pull", reg.Host + "/private/app:v1");
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);

        Assert.Equal(0, (await d.DockerAsync("logout", reg.Host)).ExitCode);
        var denied = await d.DockerAsync("pull", reg.Host + "/private/app:v1");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("pull access denied for " + reg.Host + "/private/app", denied.Stderr);
    }
}
