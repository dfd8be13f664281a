using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Dockerfile builds driven by the real docker CLI with the legacy builder
/// (<c>DOCKER_BUILDKIT=0</c>) and by the API against a real wharfd: what they build runs,
/// unchanged rebuilds are cache hits (also after a restart), the same input gives the same
/// image ID, and bad input fails cleanly without leftovers.
/// </summary>
public sealed class BuildTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private string Context(string name, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(_d.Dir, "ctx-" + name);
        Directory.CreateDirectory(dir);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        return dir;
    }

    private async Task AssertNoBuildContainersAsync()
    {
        var ps = await _d.DockerAsync("ps", "-aq");
        Assert.Equal("", ps.Stdout.Trim());
        Assert.DoesNotContain(_d.Dir, await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebServerImageBuildsRunsAndRebuildsFromCache()
    {
        var ctx = Context("web",
            ("Dockerfile", """
                FROM busybox
                ARG PORT=8080
                ENV WWW=/www
                WORKDIR $WWW
                COPY index.html .
                RUN echo "built for port $PORT" > built.txt \
                    && cat built.txt
                LABEL org.example.role="web server"
                EXPOSE $PORT
                CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                """),
            ("index.html", "<h1>hello</h1>\n"));
        var first = await _d.LegacyBuildAsync("-t", "web:1", "--build-arg", "PORT=8080", ctx);
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.Contains("Step 1/9 : FROM busybox\n", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("built for port 8080\n", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Successfully tagged web:1\n", first.Stdout, StringComparison.Ordinal);
        var builtId = first.Stdout.Split('\n').Single(l => l.StartsWith("Successfully built ", StringComparison.Ordinal))[19..];

        var inspect = JsonNode.Parse((await _d.DockerAsync("image", "inspect", "web:1")).Stdout)![0]!;
        Assert.StartsWith("sha256:" + builtId, inspect["Id"]!.GetValue<string>(), StringComparison.Ordinal);
        var config = inspect["Config"]!;
        Assert.Equal("/www", config["WorkingDir"]!.GetValue<string>());
        Assert.NotNull(config["ExposedPorts"]!["8080/tcp"]);
        Assert.Equal("web server", config["Labels"]!["org.example.role"]!.GetValue<string>());
        Assert.Equal("httpd", config["Cmd"]![0]!.GetValue<string>());
        Assert.Contains("WWW=/www", config["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        var history = await _d.DockerAsync("history", "--no-trunc", "--format", "{{.CreatedBy}}", "web:1");
        Assert.Contains("|1 PORT=8080 /bin/sh -c echo \"built for port $PORT\" > built.txt", history.Stdout, StringComparison.Ordinal);
        Assert.Contains("/bin/sh -c #(nop)  ENV WWW=/www", history.Stdout, StringComparison.Ordinal);

        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "web:1", "sh", "-c", "cat /www/index.html /www/built.txt; pwd");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("<h1>hello</h1>\nbuilt for port 8080\n/www\n", run.Stdout);

        // Unchanged: every step after FROM is a cache hit, also after a daemon restart.
        await _d.StopAsync();
        await _d.StartProcessAsync();
        var again = await _d.LegacyBuildAsync("-t", "web:1", "--build-arg", "PORT=8080", ctx);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(8, again.Stdout.Split('\n').Count(l => l == " ---> Using cache"));
        Assert.DoesNotContain("Running in", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("Successfully built " + builtId, again.Stdout, StringComparison.Ordinal);

        // A changed file rebuilds from its COPY on; the steps before it stay cached.
        File.WriteAllText(Path.Combine(ctx, "index.html"), "<h1>changed</h1>\n");
        var changed = await _d.LegacyBuildAsync("-t", "web:2", "--build-arg", "PORT=8080", ctx);
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        Assert.Equal(3, changed.Stdout.Split('\n').Count(l => l == " ---> Using cache"));
        Assert.DoesNotContain("Successfully built " + builtId, changed.Stdout, StringComparison.Ordinal);
        await AssertNoBuildContainersAsync();
    }

    [Fact]
    public async Task MultiStageCopiesFromAGeneratorStageSkipsUnusedStagesAndHonoursTarget()
    {
        var ctx = Context("multi",
            ("Dockerfile", """
                FROM busybox AS compile
                RUN mkdir -p /out && printf '#!/bin/sh\necho compiled program\n' > /out/app.sh && chmod 755 /out/app.sh
                FROM busybox AS docs
                RUN echo manual > /manual.txt
                FROM busybox AS unused
                RUN echo never-built
                FROM busybox
                COPY --from=compile /out/app.sh /usr/local/bin/app
                COPY --from=1 /manual.txt /usr/share/doc/
                CMD ["app"]
                """));
        var r = await _d.LegacyBuildAsync("-t", "multi:1", ctx);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.DoesNotContain("never-built", r.Stdout, StringComparison.Ordinal);
        // Output stays in Dockerfile order although the first two stages build in parallel.
        Assert.True(r.Stdout.IndexOf("Step 1/", StringComparison.Ordinal) < r.Stdout.IndexOf("Step 3/", StringComparison.Ordinal));
        Assert.True(r.Stdout.Contains("Step 8/8 : CMD [\"app\"]", StringComparison.Ordinal), r.Stdout);
        var run = await _d.DockerAsync("run", "--rm", "--network", "none", "multi:1");
        Assert.True(run.Stdout == "compiled program\n", run.Stderr);
        var doc = await _d.DockerAsync("run", "--rm", "--network", "none", "multi:1", "cat", "/usr/share/doc/manual.txt");
        Assert.Equal("manual\n", doc.Stdout);

        var target = await _d.LegacyBuildAsync("-t", "multi:docs", "--target", "docs", ctx);
        Assert.True(target.ExitCode == 0, target.Stderr);
        Assert.DoesNotContain("compiled", target.Stdout, StringComparison.Ordinal);
        var docs = await _d.DockerAsync("run", "--rm", "--network", "none", "multi:docs", "cat", "/manual.txt");
        Assert.Equal("manual\n", docs.Stdout);

        var missing = await _d.LegacyBuildAsync("--target", "nope", ctx);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("failed to reach build target nope", missing.Stderr, StringComparison.Ordinal);
        await AssertNoBuildContainersAsync();
    }

    [Fact]
    public async Task SameInputGivesTheSameImageIdWithoutTheCache()
    {
        var ctx = Context("repro",
            ("Dockerfile", "FROM busybox\nCOPY a.txt /a/\nRUN touch /stamp && echo x > /a/b.txt\nENV K=v\n"),
            ("a.txt", "a\n"));
        var one = await _d.LegacyBuildAsync("-q", "--no-cache", ctx);
        var two = await _d.LegacyBuildAsync("-q", "--no-cache", ctx);
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.StartsWith("sha256:", one.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Equal(one.Stdout.Trim(), two.Stdout.Trim());

        var epoch = await _d.LegacyBuildAsync("-q", "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", ctx);
        Assert.NotEqual(one.Stdout.Trim(), epoch.Stdout.Trim());
        var created = await _d.DockerAsync("image", "inspect", "--format", "{{.Created}}", epoch.Stdout.Trim());
        Assert.StartsWith("2023-11-14T22:13:20", created.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDockerfilesAndFailingStepsFailCleanly()
    {
        var parse = await _d.LegacyBuildAsync(Context("parse", ("Dockerfile", "FROM busybox\nRUN true\nBOGUS x\n")));
        Assert.NotEqual(0, parse.ExitCode);
        Assert.Contains("dockerfile parse error line 3: unknown instruction: BOGUS", parse.Stderr, StringComparison.Ordinal);

        var fails = await _d.LegacyBuildAsync("-t", "fails:1", Context("fails", ("Dockerfile", "FROM busybox\nRUN echo partial > /p\nRUN exit 3\n")));
        Assert.NotEqual(0, fails.ExitCode);
        Assert.Contains("The command '/bin/sh -c exit 3' returned a non-zero code: 3", fails.Stderr, StringComparison.Ordinal);
        var tagged = await _d.DockerAsync("image", "inspect", "fails:1");
        Assert.NotEqual(0, tagged.ExitCode);

        var escape = await _d.LegacyBuildAsync(Context("escape", ("Dockerfile", "FROM busybox\nCOPY ../x /\n")));
        Assert.Contains("forbidden path outside the build context: ../x", escape.Stderr, StringComparison.Ordinal);

        var linkCtx = Context("link", ("Dockerfile", "FROM busybox\nCOPY shadow /stolen\n"));
        File.CreateSymbolicLink(Path.Combine(linkCtx, "shadow"), "/etc/shadow");
        var link = await _d.LegacyBuildAsync(linkCtx);
        Assert.NotEqual(0, link.ExitCode);
        Assert.Contains("file not found in build context", link.Stderr, StringComparison.Ordinal);
        await AssertNoBuildContainersAsync();
    }

    [Fact]
    public async Task ApiStreamsDockerMessagesAndRejectsEscapingTars()
    {
        var tar = Tars.Build(("Dockerfile", "FROM busybox\nENV A=1\n"));
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await _d.Client.PostAsync("/v1.41/build?t=api:1&q=0", content);
        Assert.Equal(200, (int)response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("Step 1/2 : FROM busybox", lines[0]["stream"]!.GetValue<string>());
        Assert.Equal("\n", lines[1]["stream"]!.GetValue<string>());
        var aux = lines.Single(l => l["aux"] is not null)["aux"]!["ID"]!.GetValue<string>();
        Assert.StartsWith("sha256:", aux, StringComparison.Ordinal);
        Assert.Equal("Successfully tagged api:1\n", lines[^1]["stream"]!.GetValue<string>());

        var evil = Tars.Build(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("FROM busybox\n")) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../escaped") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });
        using var evilContent = new ByteArrayContent(evil);
        using var rejected = await _d.Client.PostAsync("/v1.41/build", evilContent);
        Assert.Equal(400, (int)rejected.StatusCode);
        Assert.Contains("escapes the context root", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_d.DataRoot, "build", "escaped")));

        using var prune = await _d.Client.PostAsync("/v1.41/build/prune", null);
        Assert.Equal(200, (int)prune.StatusCode);
        var pruned = JsonNode.Parse(await prune.Content.ReadAsStringAsync())!;
        Assert.True(pruned["CachesDeleted"]!.AsArray().Count >= 1);
        using var again = await _d.Client.PostAsync("/v1.41/build/prune", null);
        Assert.Equal("{\"CachesDeleted\":null,\"SpaceReclaimed\":0}", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WharfBuildSendsAFolderWithDockerignoreAStdinDockerfileAndWritesTheIidfile()
    {
        var ctx = Context("wharf",
            ("Dockerfile", "FROM busybox\nCOPY . /c/\nRUN ls -A /c\n"),
            (".dockerignore", "*.log\n!keep.log\nsecret/\n"),
            ("a.log", "x"),
            ("keep.log", "k"),
            ("secret/key", "s"),
            ("app.txt", "app"));
        var iid = Path.Combine(_d.Dir, "iid");
        var r = await _d.WharfAsync("build", "-t", "wb:1", "--label", "k=v", "--iidfile", iid, "--progress=plain", ctx);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains(".dockerignore\nDockerfile\napp.txt\nkeep.log\n", r.Stdout, StringComparison.Ordinal);
        var id = await File.ReadAllTextAsync(iid);
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        var label = await _d.DockerAsync("image", "inspect", "--format", "{{index .Config.Labels \"k\"}} {{.Id}}", "wb:1");
        Assert.Equal("v " + id + "\n", label.Stdout);

        var df = Path.Combine(_d.Dir, "stdin-dockerfile");
        await File.WriteAllTextAsync(df, "FROM busybox\nRUN echo from-stdin\n");
        var q = await _d.WharfWithStdinAsync(df, "build", "-q", "-");
        Assert.True(q.ExitCode == 0, q.Stderr);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", q.Stdout);

        var bad = await _d.WharfWithStdinAsync(df, "build", "--progress=fancy", "-");
        Assert.NotEqual(0, bad.ExitCode);
    }
}
