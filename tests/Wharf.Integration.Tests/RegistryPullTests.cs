using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Pulls through wharfd from Debian's docker-registry on loopback, driven by the real docker CLI:
/// tags and digests, auth, mirrors with fallback, resumed downloads, and bad registries.
/// </summary>
public sealed class RegistryPullTests
{
    private static string Config(WharfDaemon? _, string extra = "") => "{\"cgroup-parent\":\"wharf-it-reg-" + Guid.NewGuid().ToString("N")[..8] + "\"" + extra + "}";

    /// <summary>Imports a busybox image, puts it into the registry with skopeo and removes it locally.</summary>
    private static async Task<string> SeedAsync(WharfDaemon d, LocalRegistry reg, string target, string marker, string? creds = null)
    {
        var local = "seed/" + Guid.NewGuid().ToString("N")[..8] + ":v1";
        var id = await d.ImportAsync(Tars.Busybox(marker), local.Split(':')[0], "v1", "CMD [\"sh\"]");
        await reg.PushWithSkopeoAsync(d, local, target, creds);
        var rm = await d.DockerAsync("rmi", "-f", id);
        Assert.True(rm.ExitCode == 0, rm.Stderr);
        return id;
    }

    [Fact]
    public async Task DockerPullsByTagAndDigestAndRunsTheImage()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config(null));
        var id = await SeedAsync(d, reg, "test/bb:v1", "pulled");
        var image = reg.Host + "/test/bb:v1";

        var pull = await d.DockerAsync("pull", image);
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains("v1: Pulling from " + reg.Host + "/test/bb", pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Contains("Status: Downloaded newer image for " + image, pull.Stdout);
        var digest = pull.Stdout.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))["Digest: ".Length..].Trim();

        var inspect = JsonNode.Parse((await d.DockerAsync("image", "inspect", image)).Stdout)![0]!;
        Assert.Equal(id, inspect["Id"]!.GetValue<string>());
        Assert.Equal(reg.Host + "/test/bb@" + digest, inspect["RepoDigests"]![0]!.GetValue<string>());

        var run = await d.DockerAsync("run", "--rm", image, "echo", "ran-pulled");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("ran-pulled", run.Stdout.Trim());

        var again = await d.DockerAsync("pull", image);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("Already exists", again.Stdout);
        Assert.Contains("Status: Image is up to date for " + image, again.Stdout);

        Assert.Equal(0, (await d.DockerAsync("rmi", "-f", id)).ExitCode);
        var byDigest = await d.DockerAsync("pull", reg.Host + "/test/bb@" + digest);
        Assert.True(byDigest.ExitCode == 0, byDigest.Stderr);
        Assert.Contains("Pull complete", byDigest.Stdout);
        var list = await d.DockerAsync("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}}");
        Assert.Contains(reg.Host + "/test/bb <none> " + digest, list.Stdout);

        // The CLI turns a duration into whole seconds, so "--until 0s" would miss this second's events.
        var until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var events = await d.DockerAsync("events", "--since", "0", "--until", until, "--filter", "type=image", "--filter", "event=pull", "--format", "{{.Actor.ID}}");
        Assert.Contains(image, events.Stdout);
    }

    [Fact]
    public async Task UnknownImagesAndTagsAre404WithDockersMessages()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config(null));
        await SeedAsync(d, reg, "test/bb:v1", "x");

        var tag = await d.DockerAsync("pull", reg.Host + "/test/bb:nope");
        Assert.NotEqual(0, tag.ExitCode);
        Assert.Contains($"manifest for {reg.Host}/test/bb:nope not found: manifest unknown", tag.Stderr);

        var (status, body) = await d.SendAsync(HttpMethod.Post, $"/images/create?fromImage={reg.Host}/nothing/here&tag=latest");
        Assert.Equal(404, status);
        Assert.Contains("not found", body);

        var (bad, badBody) = await d.SendAsync(HttpMethod.Post, "/images/create?fromImage=library/UPPER&tag=latest");
        Assert.Equal(400, bad);
        Assert.Contains("must be lowercase", badBody);

        var down = await d.DockerAsync("pull", "127.0.0.1:" + LocalRegistry.FreePort() + "/x/y");
        Assert.NotEqual(0, down.ExitCode);
        Assert.Contains("connection refused", down.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MirrorServesEveryRegistryAndFallsBackToTheUpstream()
    {
        await using var upstream = await LocalRegistry.StartAsync();
        var mirror = await LocalRegistry.StartAsync();
        try
        {
            await using var d = await WharfDaemon.StartAsync(Config(null, $",\"registry-mirrors\":[\"http://{mirror.Host}\"]"));
            var id = await SeedAsync(d, mirror, "team/app:v1", "from-mirror");

            // The image is only in the mirror: a pull of the upstream's name succeeds through it.
            var pull = await d.DockerAsync("pull", upstream.Host + "/team/app:v1");
            Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
            Assert.Equal(id, JsonNode.Parse((await d.DockerAsync("image", "inspect", upstream.Host + "/team/app:v1")).Stdout)![0]!["Id"]!.GetValue<string>());

            // Mirror down: the upstream answers.
            var id2 = await SeedAsync(d, upstream, "team/app:v2", "from-upstream");
            await mirror.DisposeAsync();
            mirror = null;
            var fallback = await d.DockerAsync("pull", upstream.Host + "/team/app:v2");
            Assert.True(fallback.ExitCode == 0, fallback.Stderr + fallback.Stdout);
            Assert.Equal(id2, JsonNode.Parse((await d.DockerAsync("image", "inspect", upstream.Host + "/team/app:v2")).Stdout)![0]!["Id"]!.GetValue<string>());
        }
        finally
        {
            if (mirror is not null)
            {
                await mirror.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AMirrorThatBreaksMidLayerHandsTheRestOfTheLayerToTheUpstream()
    {
        await using var upstream = await LocalRegistry.StartAsync();
        await using var mirror = await LocalRegistry.StartAsync();
        await using var upstreamProxy = new FaultProxy(upstream.Host);
        await using var mirrorProxy = new FaultProxy(mirror.Host);
        await using var d = await WharfDaemon.StartAsync(Config(null, $",\"registry-mirrors\":[\"http://{mirrorProxy.Host}\"]"));
        var id1 = await SeedAsync(d, upstream, "team/app:v1", "mid-layer");
        var id2 = await SeedAsync(d, upstream, "team/app:v2", "mirror-503");
        foreach (var tag in new[] { "v1", "v2" })
        {
            // The mirror holds the very same blobs as the upstream.
            var copy = await ProcessRunner.RunAsync("skopeo", ["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{upstream.Host}/team/app:{tag}", $"docker://{mirror.Host}/team/app:{tag}"]);
            Assert.True(copy.ExitCode == 0, copy.Stderr);
        }

        // The mirror drops the connection halfway through the layer: the upstream is asked for the rest only.
        mirrorProxy.Mode = FaultProxy.Fault.CutEveryBlob;
        var pull = await d.DockerAsync("pull", upstreamProxy.Host + "/team/app:v1");
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains(mirrorProxy.Requests, r => r.Path.Contains("/blobs/", StringComparison.Ordinal));
        var resumed = upstreamProxy.Requests.Where(r => r.Path.Contains("/blobs/", StringComparison.Ordinal)).ToList();
        var range = Assert.Single(resumed).Range;
        Assert.NotNull(range);
        Assert.Matches("^bytes=[1-9][0-9]*-$", range);
        Assert.Equal(id1, JsonNode.Parse((await d.DockerAsync("image", "inspect", upstreamProxy.Host + "/team/app:v1")).Stdout)![0]!["Id"]!.GetValue<string>());
        var run = await d.DockerAsync("run", "--rm", upstreamProxy.Host + "/team/app:v1", "cat", "/marker");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("mid-layer", run.Stdout.Trim());

        // A mirror answering 503 for blobs: the layer comes whole from the upstream, still verified.
        while (upstreamProxy.Requests.TryDequeue(out _))
        {
        }

        mirrorProxy.Mode = FaultProxy.Fault.ServerErrorOnBlobs;
        var pull2 = await d.DockerAsync("pull", upstreamProxy.Host + "/team/app:v2");
        Assert.True(pull2.ExitCode == 0, pull2.Stderr + pull2.Stdout);
        Assert.Contains(upstreamProxy.Requests, r => r.Path.Contains("/blobs/", StringComparison.Ordinal) && r.Range is null);
        Assert.Equal(id2, JsonNode.Parse((await d.DockerAsync("image", "inspect", upstreamProxy.Host + "/team/app:v2")).Stdout)![0]!["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABrokenDownloadResumesWithARangeRequest()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var proxy = new FaultProxy(reg.Host);
        await using var d = await WharfDaemon.StartAsync(Config(null));
        var id = await SeedAsync(d, reg, "test/resume:v1", "resume");
        proxy.Mode = FaultProxy.Fault.CutFirstBlob;

        var pull = await d.DockerAsync("pull", proxy.Host + "/test/resume:v1");
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains(proxy.Requests, r => r.Path.Contains("/blobs/", StringComparison.Ordinal) && r.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && !range.StartsWith("bytes=0-", StringComparison.Ordinal));
        Assert.Equal(id, JsonNode.Parse((await d.DockerAsync("image", "inspect", proxy.Host + "/test/resume:v1")).Stdout)![0]!["Id"]!.GetValue<string>());
        var run = await d.DockerAsync("run", "--rm", proxy.Host + "/test/resume:v1", "echo", "whole");
        Assert.Equal("whole", run.Stdout.Trim());
    }

    [Fact]
    public async Task CorruptBlobsAndMalformedManifestsFailAndStoreNothing()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var proxy = new FaultProxy(reg.Host);
        await using var d = await WharfDaemon.StartAsync(Config(null));
        await SeedAsync(d, reg, "test/bad:v1", "bad");
        var before = (await d.DockerAsync("images", "-aq")).Stdout;
        var snapshots = Path.Combine(d.DataRoot, "snapshots", "overlay2");
        var snapshotsBefore = Directory.Exists(snapshots) ? Directory.GetFileSystemEntries(snapshots).Length : 0;

        proxy.Mode = FaultProxy.Fault.CorruptBlobs;
        var corrupt = await d.DockerAsync("pull", proxy.Host + "/test/bad:v1");
        Assert.NotEqual(0, corrupt.ExitCode);
        Assert.Contains("verification failed", corrupt.Stderr + corrupt.Stdout);

        proxy.Mode = FaultProxy.Fault.MalformedManifest;
        var (status, body) = await d.SendAsync(HttpMethod.Post, $"/images/create?fromImage={proxy.Host}/test/bad&tag=v1");
        Assert.Equal(400, status);
        Assert.Contains("invalid manifest", body);

        Assert.Equal(before, (await d.DockerAsync("images", "-aq")).Stdout);
        Assert.Empty(Directory.GetFiles(Path.Combine(d.DataRoot, "content", "ingest")));
        Assert.Equal(snapshotsBefore, Directory.Exists(snapshots) ? Directory.GetFileSystemEntries(snapshots).Length : 0);
    }
}
