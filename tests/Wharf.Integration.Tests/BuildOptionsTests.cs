using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// rm / forcerm of POST /build and <c>wharf build --rm --force-rm</c> (intermediate containers
/// kept or removed as dockerd's legacy builder does), and the build cache's real sizes in
/// <c>system df</c> and <c>/build/prune</c>.
/// </summary>
public sealed class BuildOptionsTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-options"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<string> BuildAsync(string dockerfile, string query)
    {
        using var content = new ByteArrayContent(Tars.Build(("Dockerfile", dockerfile)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await _d.Client.PostAsync("/v1.47/build?" + query, content);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<List<string>> ContainersAsync()
    {
        var ps = await _d.DockerAsync("ps", "-aq", "--no-trunc");
        return [.. ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private async Task RemoveAllContainersAsync()
    {
        foreach (var id in await ContainersAsync())
        {
            await _d.DockerAsync("rm", "-f", id);
        }
    }

    [Fact]
    public async Task RmFalseKeepsRunContainersAndForceRmRemovesFailedOnes()
    {
        var kept = await BuildAsync("FROM busybox\nRUN echo a\nRUN echo b\n", "rm=0&nocache=1");
        Assert.DoesNotContain("Removing intermediate container", kept, StringComparison.Ordinal);
        Assert.Equal(2, (await ContainersAsync()).Count);
        await RemoveAllContainersAsync();

        var keptFailed = await BuildAsync("FROM busybox\nRUN echo a\nRUN exit 4\n", "rm=0&nocache=1");
        Assert.Contains("returned a non-zero code: 4", keptFailed, StringComparison.Ordinal);
        var containers = await ContainersAsync();
        Assert.Equal(2, containers.Count);
        var status = await _d.DockerAsync("inspect", "--format", "{{.State.ExitCode}}", containers[0], containers[1]);
        Assert.Equal(["0", "4"], status.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        await RemoveAllContainersAsync();

        var forced = await BuildAsync("FROM busybox\nRUN echo a\nRUN exit 4\n", "forcerm=1&rm=0&nocache=1");
        Assert.Equal(2, forced.Split("Removing intermediate container", StringSplitOptions.None).Length - 1);
        Assert.True(forced.IndexOf("Removing intermediate container", forced.IndexOf("RUN exit 4", StringComparison.Ordinal), StringComparison.Ordinal) < forced.IndexOf("errorDetail", StringComparison.Ordinal));
        Assert.Empty(await ContainersAsync());

        // The CLI passes both flags.
        var dir = Path.Combine(_d.Dir, "ctx-cli");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"), "FROM busybox\nRUN echo cli\n");
        var cli = await _d.WharfAsync("build", "--rm=false", "--no-cache", "--progress=plain", dir);
        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout);
        Assert.Single(await ContainersAsync());
        await RemoveAllContainersAsync();
        var cliForce = await _d.WharfAsync("build", "--force-rm", "--no-cache", "--progress=plain", dir);
        Assert.True(cliForce.ExitCode == 0, cliForce.Stderr + cliForce.Stdout);
        Assert.Empty(await ContainersAsync());
    }

    [Fact]
    public async Task SystemDfShowsRealCacheSizesAndPruneReclaimsThem()
    {
        await BuildAsync("FROM busybox\nRUN head -c 100000 /dev/zero > /z\nENV A=1\n", "q=1");
        var df = await _d.GetJsonAsync("/v1.47/system/df");
        var cache = df["BuildCache"]!.AsArray();
        Assert.Equal(2, cache.Count);
        var sizes = cache.Select(c => c!["Size"]!.GetValue<long>()).Order().ToList();
        Assert.Equal(0, sizes[0]);
        Assert.InRange(sizes[1], 100000, 110000);
        Assert.Equal(sizes.Sum(), df["BuilderSize"]!.GetValue<long>());

        // A tagged build's images stay (they are images, not only cache); a dangling one goes.
        await BuildAsync("FROM busybox\nRUN head -c 50000 /dev/zero > /y\n", "t=kept:1");
        var (status, body) = await _d.SendAsync(HttpMethod.Post, "/v1.47/build/prune");
        Assert.Equal(200, status);
        var prune = JsonNode.Parse(body)!;
        Assert.Equal(3, prune["CachesDeleted"]!.AsArray().Count);
        Assert.Equal(sizes[1], prune["SpaceReclaimed"]!.GetValue<long>());
        Assert.Equal(0, (await _d.DockerAsync("image", "inspect", "kept:1")).ExitCode);
        var after = await _d.GetJsonAsync("/v1.47/system/df");
        Assert.Empty(after["BuildCache"]!.AsArray());
        Assert.Equal(0, after["BuilderSize"]!.GetValue<long>());
        var images = await _d.DockerAsync("images", "-aq");
        Assert.Equal(2, images.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
    }
}
