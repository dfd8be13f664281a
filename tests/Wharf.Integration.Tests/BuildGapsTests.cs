using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Build behaviour beyond the basics, with the docker CLI's legacy builder against a real
/// wharfd: RUN mount points leave no stubs in the image (BuildKit's rule), and ADD's downloads
/// stream progress as dockerd's legacy builder does, cache mounts start from a stage's or an
/// image's directory (<c>from=</c>, <c>source=</c>).
/// </summary>
public sealed class BuildGapsTests : IAsyncLifetime
{
    /// <summary>3 MiB: more than one read, as in the golden recorded from dockerd 20.10.</summary>
    private static readonly byte[] Big = new byte[3 << 20];
    private readonly LoopbackHttpServer _http = new(_ => new HttpAnswer("200 OK", Big));
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("build-gaps"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync()
    {
        await _http.DisposeAsync();
        await _d.DisposeAsync();
    }

    private string Context(params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(_d.Dir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        foreach (var (path, content) in files)
        {
            File.WriteAllText(Path.Combine(dir, path), content);
        }

        return dir;
    }

    private async Task<string> RunAsync(string image, params string[] command)
    {
        var r = await _d.DockerAsync(["run", "--rm", "--network", "none", image, .. command]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout;
    }

    /// <summary>The entry names of an image's top layer, read from <c>docker save</c>.</summary>
    private async Task<List<string>> TopLayerAsync(string image)
    {
        var file = Path.Combine(_d.Dir, "save-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        var save = await _d.DockerAsync("save", "-o", file, image);
        Assert.True(save.ExitCode == 0, save.Stderr);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var tar = new TarReader(File.OpenRead(file)))
        {
            while (await tar.GetNextEntryAsync() is { } e)
            {
                if (e.DataStream is { } data)
                {
                    var ms = new MemoryStream();
                    await data.CopyToAsync(ms);
                    entries[e.Name] = ms.ToArray();
                }
            }
        }

        File.Delete(file);
        var manifest = JsonNode.Parse(entries["manifest.json"])![0]!;
        var top = manifest["Layers"]!.AsArray()[^1]!.GetValue<string>();
        var names = new List<string>();
        await using (var layer = new TarReader(new MemoryStream(entries[top])))
        {
            while (await layer.GetNextEntryAsync() is { } e)
            {
                names.Add(e.Name.TrimEnd('/'));
            }
        }

        return names;
    }

    [Fact]
    public async Task MountPointsTheBuildMadeAreNotLeftInTheImage()
    {
        var ctx = Context(("data.txt", "data\n"), ("Dockerfile", """
            FROM busybox
            RUN mkdir -p /keep /var && echo orig > /keep/o.txt && touch -d @1000000000 /keep /etc /var
            RUN --mount=type=cache,target=/var/cachestub/deep --mount=type=tmpfs,target=/tmpstub --mount=type=bind,source=data.txt,target=/etc/bindstub.txt --mount=type=bind,target=/keep --mount=type=secret,id=s,target=/secretstub sh -c 'cat /etc/bindstub.txt /keep/data.txt; touch /made-by-run; echo cached > /var/cachestub/deep/c'
            RUN --mount=type=tmpfs,target=/filled sh -c 'echo x > /filled/y' && mkdir -p /var/later && touch /var/later/z
            """));
        var r = await _d.LegacyBuildAsync("-t", "stubs:1", ctx);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("data\ndata\n", r.Stdout, StringComparison.Ordinal);

        // The stubs are gone (a parent the build made too), what existed is as it was, what
        // the command wrote outside the mounts stays.
        var check = await _d.DockerAsync("run", "--rm", "--network", "none", "stubs:1", "ls", "-d", "/var/cachestub", "/tmpstub", "/etc/bindstub.txt", "/secretstub", "/filled");
        Assert.NotEqual(0, check.ExitCode);
        Assert.Equal("", check.Stdout);
        foreach (var gone in new[] { "/var/cachestub", "/tmpstub", "/etc/bindstub.txt", "/secretstub", "/filled" })
        {
            Assert.Contains(gone + ": No such file or directory", check.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("orig\n", await RunAsync("stubs:1", "cat", "/keep/o.txt"));
        Assert.Equal("o.txt\n", await RunAsync("stubs:1", "ls", "/keep"));
        Assert.Equal("1000000000 /keep\n", await RunAsync("stubs:1", "stat", "-c", "%Y %n", "/keep"));
        Assert.Equal("/made-by-run\n/var/later/z\n", await RunAsync("stubs:1", "ls", "/made-by-run", "/var/later/z"));

        // The layers themselves: the mount RUN's layer holds the command's file and no stub;
        // the last one only what the command made outside its tmpfs.
        var history = (await _d.DockerAsync("history", "-q", "--no-trunc", "stubs:1")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var mountStep = history[1];
        var tag = await _d.DockerAsync("tag", mountStep, "stubs:mountstep");
        Assert.True(tag.ExitCode == 0, tag.Stderr);
        var layer = await TopLayerAsync("stubs:mountstep");
        Assert.Contains("made-by-run", layer);
        Assert.DoesNotContain(layer, n => n.Contains("stub", StringComparison.Ordinal) || n.StartsWith("keep", StringComparison.Ordinal));
        var last = await TopLayerAsync("stubs:1");
        Assert.Contains("var/later/z", last);
        Assert.DoesNotContain(last, n => n.Contains("filled", StringComparison.Ordinal));
    }

    private static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString();

    [Fact]
    public async Task AddUrlStreamsDownloadProgressAsTheLegacyBuilderDoes()
    {
        var url = _http.Url("/big.bin");
        var dockerfile = $"FROM busybox\nADD {url} /big.bin\n";

        // The raw stream: the golden's messages (tests/golden/dockerd-20.10/build-gaps/add-url.txt).
        var tar = Tars.Build(("Dockerfile", dockerfile));
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var (status, body) = await _d.SendAsync(HttpMethod.Post, "/v1.47/build?networkmode=none&t=dl:1", content);
        Assert.Equal(200, status);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.ToJsonString()).ToList();
        var progress = lines.Where(l => l.Contains("\"status\"", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, body);
        // The first report comes after the first read, whatever it got (dockerd's: 32 KiB).
        var first = JsonNode.Parse(progress[0])!;
        Assert.Equal("Downloading", first["status"]!.GetValue<string>());
        Assert.Equal(3145728, first["progressDetail"]!["total"]!.GetValue<long>());
        Assert.InRange(first["progressDetail"]!["current"]!.GetValue<long>(), 1, 3145728);
        Assert.Matches(@"^\[=*>\s*\]\s+[0-9.]+k?B/3\.146MB$", first["progress"]!.GetValue<string>());
        Assert.Equal(Canonical("""{"status":"Downloading","progressDetail":{"current":3145728,"total":3145728},"progress":"[==================================================\u003e]  3.146MB/3.146MB"}"""), progress[^1]);
        var end = lines.IndexOf(progress[^1]);
        Assert.Equal(Canonical("""{"stream":"\n"}"""), lines[end + 1]);
        Assert.StartsWith(" ---> ", JsonNode.Parse(lines[end + 2])!["stream"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("3145728\n", await RunAsync("dl:1", "stat", "-c", "%s", "/big.bin"));

        // The docker CLI (28.x) prints no download bar for the legacy builder, on a terminal or
        // not, with dockerd as with wharfd: the stream above is what it reads, and it succeeds.
        var ctx = Context(("Dockerfile", dockerfile));
        var plain = await _d.LegacyBuildAsync("-t", "dl:3", ctx);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.DoesNotContain("Downloading", plain.Stdout, StringComparison.Ordinal);
        var quiet = await _d.LegacyBuildAsync("-q", ctx);
        Assert.True(quiet.ExitCode == 0, quiet.Stderr);
        Assert.StartsWith("sha256:", quiet.Stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheMountWithFromStartsFromTheStagesDirectoryOnce()
    {
        var ctx = Context(("Dockerfile", """
            FROM busybox AS seed
            RUN mkdir -p /seed/sub && echo top > /seed/t.txt && echo seeded > /seed/sub/s.txt
            FROM busybox
            RUN --mount=type=cache,target=/c,from=seed,source=/seed sh -c 'cat /c/t.txt /c/sub/s.txt; echo more >> /c/t.txt'
            RUN --mount=type=cache,target=/c,from=seed,source=/seed sh -c 'echo second; cat /c/t.txt'
            RUN --mount=type=cache,target=/c sh -c 'ls -A /c | wc -l'
            RUN --mount=type=cache,target=/e,from=busybox,source=etc,id=etc-seed head -n1 /e/passwd
            RUN --mount=type=cache,target=/z,from=seed,source=/seed/t.txt true
            """));
        var r = await _d.LegacyBuildAsync("-t", "cachefrom:1", ctx);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("top\nseeded\n", r.Stdout, StringComparison.Ordinal);

        // Seeded once, then an ordinary cache: the second RUN sees the first one's write.
        Assert.Contains("second\ntop\nmore\n", r.Stdout, StringComparison.Ordinal);

        // The same target without a base is another cache (empty); an image serves as a base too.
        Assert.Contains("\n0\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("root:x:0:0:root:/root:/bin/sh\n", r.Stdout, StringComparison.Ordinal);

        // A source that is not a directory fails the step with a build error.
        Assert.Contains("/seed/t.txt is not a directory", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", (await _d.DockerAsync("ps", "-aq")).Stdout.Trim());
    }
}
