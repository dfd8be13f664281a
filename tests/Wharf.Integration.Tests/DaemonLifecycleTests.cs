using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Restarts, crashes, side-by-side daemons, events.</summary>
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task ImagesSurviveARestart()
    {
        await using var d = await WharfDaemon.StartAsync();
        var id = await d.ImportAsync(Tars.Busybox("persist"), "persist/me", "1");
        await d.StopAsync();
        await d.StartProcessAsync();
        var inspect = await d.GetJsonAsync("/images/persist/me:1/json");
        Assert.Equal(id, inspect["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task KillDuringLoadLeavesAConsistentStore()
    {
        await using var d = await WharfDaemon.StartAsync();
        await d.ImportAsync(Tars.Busybox("base"), "base", "latest");

        // A large archive so the kill lands mid-load: many layers of random content.
        var archive = Path.Combine(d.Dir, "big.tar");
        var layers = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var data = new byte[8 * 1024 * 1024];
            Random.Shared.NextBytes(data);
            layers.Add(Tars.Build(w => w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"blob{i}") { DataStream = new MemoryStream(data) })));
        }

        var diffIds = layers.Select(l => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(l))).ToList();
        var config = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux", ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. diffIds.Select(x => (JsonNode)x!)]) } }.ToJsonString();
        await File.WriteAllBytesAsync(archive, Tars.Build(w =>
        {
            for (var i = 0; i < layers.Count; i++)
            {
                w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"l{i}.tar") { DataStream = new MemoryStream(layers[i]) });
            }

            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "c.json") { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(config)) });
            var manifest = new JsonArray(new JsonObject { ["Config"] = "c.json", ["RepoTags"] = new JsonArray("big:one"), ["Layers"] = new JsonArray([.. Enumerable.Range(0, layers.Count).Select(i => (JsonNode)$"l{i}.tar"!)]) });
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString())) });
        }));

        var load = Task.Run(async () =>
        {
            try
            {
                await using var f = File.OpenRead(archive);
                await d.Client.PostAsync("/images/load?quiet=1", new StreamContent(f));
            }
            catch (HttpRequestException)
            {
            }
            catch (IOException)
            {
            }
        });
        await Task.Delay(300);
        await d.KillAsync();
        await load;

        await d.StartProcessAsync();
        var images = (await d.GetJsonAsync("/images/json")).AsArray();
        // Either the load completed before the kill, or it left nothing visible.
        var tags = images.SelectMany(i => i!["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>())).ToList();
        Assert.Contains("base:latest", tags);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(d.DataRoot, "content", "ingest")));
        var snapshots = Directory.GetDirectories(Path.Combine(d.DataRoot, "snapshots", "overlay2"));
        Assert.DoesNotContain(snapshots, s => Path.GetFileName(s).StartsWith('.'));
        if (!tags.Contains("big:one"))
        {
            // Nothing from the interrupted load may remain: one snapshot (base) and its blobs only.
            Assert.Single(snapshots);
        }

        // The store still works: the same load now succeeds.
        await using (var f = File.OpenRead(archive))
        {
            using var r = await d.Client.PostAsync("/images/load?quiet=1", new StreamContent(f));
            Assert.Equal(200, (int)r.StatusCode);
        }

        Assert.Equal(2, (await d.GetJsonAsync("/images/json")).AsArray().Count);
    }

    [Fact]
    public async Task TwoDaemonsRunSideBySide()
    {
        await using var a = await WharfDaemon.StartAsync();
        await using var b = await WharfDaemon.StartAsync();
        await a.ImportAsync(Tars.Busybox("a"), "only/in-a", "latest");
        Assert.Single((await a.GetJsonAsync("/images/json")).AsArray());
        Assert.Empty((await b.GetJsonAsync("/images/json")).AsArray());
        var mode = File.GetUnixFileMode(a.Socket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, mode);
    }

    [Fact]
    public async Task SecondDaemonOnSamePidfileRefuses()
    {
        await using var a = await WharfDaemon.StartAsync();
        var r = await ProcessRunner.RunAsync(Repo.Wharfd, ["-H", "unix://" + Path.Combine(a.Dir, "other.sock"), "--data-root", Path.Combine(a.Dir, "r2"), "--pidfile", Path.Combine(a.Dir, "wharfd.pid"), "--config-file", Path.Combine(a.Dir, "daemon.json")]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("pid file found", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDaemonJsonKeyIsRejected()
    {
        var dir = Directory.CreateTempSubdirectory("wharf-it-cfg-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "daemon.json"), """{"data-root":"/tmp/x","no-such-option":true}""");
            var r = await ProcessRunner.RunAsync(Repo.Wharfd, ["--config-file", Path.Combine(dir, "daemon.json"), "-H", "unix://" + Path.Combine(dir, "s.sock")]);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("no-such-option", r.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task EventsReplayWithFiltersAndUntil()
    {
        await using var d = await WharfDaemon.StartAsync();
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var id = await d.ImportAsync(Tars.Busybox("ev"), "ev/img", "1");
        await d.SendAsync(HttpMethod.Post, "/images/ev/img:1/tag?repo=ev/img&tag=2");
        await d.SendAsync(HttpMethod.Delete, "/images/ev/img:2");
        var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        var filters = Uri.EscapeDataString("""{"type":["image"],"event":["tag","untag"]}""");
        var (s, body) = await d.SendAsync(HttpMethod.Get, $"/events?since={since}&until={until}&filters={filters}");
        Assert.Equal(200, s);
        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["tag", "tag", "untag"], events.Select(e => e["Action"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(id, e["Actor"]!["ID"]!.GetValue<string>()));
        Assert.Equal("ev/img:2", events[1]["Actor"]!["Attributes"]!["name"]!.GetValue<string>());

        var docker = await d.DockerAsync("events", "--since", since.ToString(System.Globalization.CultureInfo.InvariantCulture), "--until", until.ToString(System.Globalization.CultureInfo.InvariantCulture), "--filter", "event=import");
        Assert.Equal(0, docker.ExitCode);
        Assert.Contains("image import " + id, docker.Stdout, StringComparison.Ordinal);
    }
}
