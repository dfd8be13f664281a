using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>RUN --mount=type=cache|tmpfs|bind|secret</c> and <c>RUN --network</c> built by the docker
/// CLI's legacy builder against a real wharfd.
/// </summary>
public sealed class BuildRunMountTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;
    private string _ctx = "";

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-mounts"), "busybox", "latest", "CMD [\"sh\"]");
        _ctx = Path.Combine(_d.Dir, "ctx");
        Directory.CreateDirectory(Path.Combine(_ctx, "sub"));
        await File.WriteAllTextAsync(Path.Combine(_ctx, "data.txt"), "ctx-data-1\n");
        await File.WriteAllTextAsync(Path.Combine(_ctx, "sub", "s.txt"), "sub\n");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<ProcessResult> BuildAsync(string dockerfile, bool ok, params string[] args)
    {
        await File.WriteAllTextAsync(Path.Combine(_ctx, "Dockerfile"), dockerfile);
        var r = await _d.LegacyBuildAsync([.. args, _ctx]);
        Assert.True((r.ExitCode == 0) == ok, r.Stdout + r.Stderr);
        return r;
    }

    [Fact]
    public async Task CacheMountsPersistBetweenBuildsAndArePrunedWithTheBuildCache()
    {
        const string df = "FROM busybox\nRUN --mount=type=cache,target=/cache,id=counter sh -c 'echo run >> /cache/log; echo count=$(wc -l < /cache/log)'\nRUN test ! -e /cache/log && echo not-in-image\n";
        var first = await BuildAsync(df, true, "--no-cache");
        Assert.Contains("count=1", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nnot-in-image\n", first.Stdout, StringComparison.Ordinal);
        var second = await BuildAsync(df, true, "--no-cache");
        Assert.Contains("count=2", second.Stdout, StringComparison.Ordinal);

        var cache = (await _d.GetJsonAsync("/v1.47/system/df"))["BuildCache"]!.AsArray();
        var mount = Assert.Single(cache, c => c!["Type"]!.GetValue<string>() == "exec.cachemount");
        Assert.Equal(8, mount!["Size"]!.GetValue<long>());
        Assert.Contains("cached mount /cache", mount["Description"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, body) = await _d.SendAsync(HttpMethod.Post, "/v1.47/build/prune");
        Assert.Equal(200, status);
        Assert.True(JsonNode.Parse(body)!["SpaceReclaimed"]!.GetValue<long>() >= 8);
        var third = await BuildAsync(df, true, "--no-cache");
        Assert.Contains("count=1", third.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TmpfsBindAndSecretMountsBehaveAsBuildKits()
    {
        const string df = """
            FROM busybox AS gen
            RUN echo generated > /gen.txt
            FROM busybox
            RUN --mount=type=tmpfs,target=/t sh -c 'grep -q " /t tmpfs" /proc/mounts && echo data > /t/x && echo tmpfs-ok'
            RUN test ! -e /t/x && echo tmpfs-gone
            RUN --mount=type=bind,source=data.txt,target=/d.txt cat /d.txt
            RUN --mount=type=bind,target=/ctx sh -c 'if touch /ctx/new 2>/dev/null; then echo ctx-writable; else echo ctx-readonly; fi; cat /ctx/sub/s.txt'
            RUN --mount=type=bind,target=/ctx,rw sh -c 'touch /ctx/new && echo rw-ok'
            RUN --mount=type=bind,target=/ctx sh -c 'test ! -e /ctx/new && echo rw-discarded'
            RUN --mount=type=bind,from=gen,source=/gen.txt,target=/g cat /g
            RUN --mount=type=secret,id=tok,env=TOK sh -c 'test ! -e /run/secrets/tok && test -z "$TOK" && echo no-secret'
            """;
        var r = await BuildAsync(df, true);
        foreach (var expected in new[] { "tmpfs-ok", "tmpfs-gone", "ctx-data-1", "ctx-readonly", "sub", "rw-ok", "rw-discarded", "generated", "no-secret" })
        {
            Assert.Contains("\n" + expected + "\n", r.Stdout, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Path.Combine(_ctx, "new")));

        // A changed bound file reruns the step that reads it; the steps before stay cached.
        await File.WriteAllTextAsync(Path.Combine(_ctx, "data.txt"), "ctx-data-2\n");
        var again = await BuildAsync(df, true);
        Assert.Contains("\nctx-data-2\n", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\ntmpfs-ok\n", again.Stdout, StringComparison.Ordinal);

        var required = await BuildAsync("FROM busybox\nRUN --mount=type=secret,id=tok,required cat /run/secrets/tok\n", false);
        Assert.Contains("secret tok: not found", required.Stdout + required.Stderr, StringComparison.Ordinal);
        var bad = await BuildAsync("FROM busybox\nRUN --mount=type=volume,target=/v true\n", false);
        Assert.Contains("unsupported mount type", bad.Stdout + bad.Stderr, StringComparison.Ordinal);
        Assert.Empty((await _d.DockerAsync("ps", "-aq")).Stdout.Trim());
    }

    [Fact]
    public async Task RunNetworkFlagPicksTheStepsNetwork()
    {
        var hostNs = new FileInfo("/proc/self/ns/net").LinkTarget!;
        const string df = "FROM busybox\nRUN echo default=$(readlink /proc/self/ns/net)\nRUN --network=none echo none=$(readlink /proc/self/ns/net)\nRUN --network=host echo host=$(readlink /proc/self/ns/net)\n";
        var r = await BuildAsync(df, true, "--no-cache", "--network", "host");
        Assert.Contains("default=" + hostNs, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("host=" + hostNs, r.Stdout, StringComparison.Ordinal);
        Assert.Contains("none=net:[", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("none=" + hostNs, r.Stdout, StringComparison.Ordinal);

        var denied = await BuildAsync("FROM busybox\nRUN --network=host true\n", false, "--no-cache");
        Assert.Contains("network.host is not allowed", denied.Stdout + denied.Stderr, StringComparison.Ordinal);
    }
}
