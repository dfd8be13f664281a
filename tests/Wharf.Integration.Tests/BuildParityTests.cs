using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wharf.TestSupport;

namespace Wharf.Integration.Tests;

/// <summary>
/// The same Dockerfiles built by the real docker CLI (legacy builder) against wharfd and against
/// Debian's dockerd, side by side: the images have the same configuration, history and
/// layers, the same files with the same modes and owners, and run and serve the same.
/// </summary>
public sealed class BuildParityTests : IAsyncLifetime
{
    private WharfDaemon _wharf = null!;
    private PrivateDockerd _dockerd = null!;
    private string _dir = null!;

    public async Task InitializeAsync()
    {
        _wharf = await WharfDaemon.StartAsync();
        _dockerd = await PrivateDockerd.StartAsync();
        _dir = Path.Combine(_wharf.Dir, "parity");
        Directory.CreateDirectory(_dir);
        var tar = Path.Combine(_dir, "busybox.tar");
        await File.WriteAllBytesAsync(tar, Tars.Busybox("parity"));
        await _wharf.ImportAsync(await File.ReadAllBytesAsync(tar), "busybox", "latest", "CMD [\"sh\"]");
        await _dockerd.CheckAsync("import", "-c", "CMD [\"sh\"]", tar, "busybox:latest");
    }

    public async Task DisposeAsync()
    {
        await _dockerd.DisposeAsync();
        await _wharf.DisposeAsync();
    }

    private delegate Task<(int Code, string Stdout, string Stderr)> Docker(params string[] args);

    private Docker OnWharf => async args =>
    {
        var r = args is ["build", .. var rest] ? await _wharf.LegacyBuildAsync(rest) : await _wharf.DockerAsync(args);
        return (r.ExitCode, r.Stdout, r.Stderr);
    };

    private Docker OnDockerd => _dockerd.RunAsync;

    private string Context(string name, params (string Path, string Content, UnixFileMode? Mode)[] files)
    {
        var dir = Path.Combine(_dir, name);
        foreach (var (path, content, mode) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (mode is { } m)
            {
                File.SetUnixFileMode(full, m);
            }
        }

        return dir;
    }

    private static async Task<string> Ok(Docker docker, params string[] args)
    {
        var (code, stdout, stderr) = await docker(args);
        Assert.True(code == 0, $"docker {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>What two engines' images must agree on: the config a container gets, history, layer count.</summary>
    private static async Task<string> DescribeImage(Docker docker, string image)
    {
        var inspect = JsonNode.Parse(await Ok(docker, "image", "inspect", image))![0]!;
        var config = inspect["Config"]!;
        var fields = new[] { "Cmd", "Entrypoint", "Env", "WorkingDir", "ExposedPorts", "Labels", "User", "Volumes", "StopSignal", "Healthcheck" }
            .Select(f => f + "=" + (config[f]?.ToJsonString() ?? "null"));
        // COPY's source checksum in history ("file:<hex>") is each builder's own content hash.
        // HEALTHCHECK's history line prints Go's struct, which has StartInterval since Docker 25
        // (Wharf prints that newer form); the health config itself is compared above.
        var history = Regex.Replace(await Ok(docker, "history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}", image), "(file|dir|multi):[0-9a-f]{64}", "$1:<sum>");
        history = Regex.Replace(history, @"HEALTHCHECK &\{.*\}", "HEALTHCHECK &{...}");
        var layers = inspect["RootFS"]!["Layers"]!.AsArray().Count;
        return string.Join('\n', fields) + "\nlayers=" + layers + "\nhistory:\n" + history;
    }

    private static async Task<string> FilesOf(Docker docker, string image, string paths)
        => await Ok(docker, "run", "--rm", "--network", "none", image, "sh", "-c",
            $"find {paths} | sort | while read -r f; do stat -c '%n %a %u:%g %s %F' \"$f\"; done");

    [Fact]
    public async Task AWebServerImageIsTheSameAndServesTheSame()
    {
        var ctx = Context("web",
            ("Dockerfile", """
                FROM busybox
                ARG PORT=8080
                ENV WWW=/www \
                    GREETING="hello from the image"
                WORKDIR $WWW
                COPY index.html ./
                COPY --chown=1000:1000 static/ ./static/
                RUN echo "$GREETING on $PORT" > about.txt && chmod 640 about.txt
                LABEL org.example.role="web server" org.example.port=$PORT
                EXPOSE $PORT
                HEALTHCHECK --interval=30s --timeout=3s CMD nc -z 127.0.0.1 8080 || exit 1
                STOPSIGNAL SIGTERM
                USER 1000
                CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                """, null),
            ("index.html", "<h1>parity</h1>\n", null),
            ("static/app.js", "console.log('x');\n", (UnixFileMode)0b111_101_000),
            ("static/css/site.css", "body{}\n", null));
        foreach (var docker in new[] { OnWharf, OnDockerd })
        {
            await Ok(docker, "build", "-q", "-t", "web:parity", "--build-arg", "PORT=8080", ctx);
        }

        Assert.Equal(await DescribeImage(OnDockerd, "web:parity"), await DescribeImage(OnWharf, "web:parity"));
        Assert.Equal(await FilesOf(OnDockerd, "web:parity", "/www"), await FilesOf(OnWharf, "web:parity", "/www"));

        var pages = new List<string>();
        foreach (var docker in new[] { OnWharf, OnDockerd })
        {
            var id = (await Ok(docker, "run", "-d", "--network", "none", "web:parity")).Trim();
            try
            {
                var page = "";
                for (var i = 0; i < 50 && !page.Contains("parity", StringComparison.Ordinal); i++)
                {
                    page = (await docker("exec", id, "sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080")).Stdout;
                    await Task.Delay(100);
                }

                pages.Add(page[page.IndexOf("<h1>", StringComparison.Ordinal)..]);
                Assert.Equal("1000\n", await Ok(docker, "exec", id, "id", "-u"));
            }
            finally
            {
                await docker("rm", "-f", id);
            }
        }

        Assert.Equal(["<h1>parity</h1>\n", "<h1>parity</h1>\n"], pages);
    }

    [Fact]
    public async Task AMultiStageCompileThenCopyIsTheSameAndRunsTheSame()
    {
        var ctx = Context("multi",
            ("Dockerfile", """
                FROM busybox AS build
                WORKDIR /src
                COPY main.sh ./
                RUN mkdir -p /out && { echo '#!/bin/sh'; cat main.sh; } > /out/app && chmod 755 /out/app

                FROM busybox AS test
                COPY --from=build /out/app /app
                RUN /app check > /result.txt

                FROM busybox
                COPY --from=build /out/app /usr/local/bin/app
                COPY --from=test /result.txt /usr/share/app/
                ENTRYPOINT ["app"]
                CMD ["world"]
                """, null),
            ("main.sh", "echo \"compiled: hello $1\"\n", null));
        foreach (var docker in new[] { OnWharf, OnDockerd })
        {
            await Ok(docker, "build", "-q", "-t", "multi:parity", ctx);
        }

        Assert.Equal(await DescribeImage(OnDockerd, "multi:parity"), await DescribeImage(OnWharf, "multi:parity"));
        Assert.Equal(await FilesOf(OnDockerd, "multi:parity", "/usr/local/bin/app /usr/share/app"), await FilesOf(OnWharf, "multi:parity", "/usr/local/bin/app /usr/share/app"));
        foreach (var args in new[] { new[] { "run", "--rm", "--network", "none", "multi:parity" }, ["run", "--rm", "--network", "none", "multi:parity", "there"], ["run", "--rm", "--network", "none", "--entrypoint", "cat", "multi:parity", "/usr/share/app/result.txt"] })
        {
            var expected = await Ok(OnDockerd, args);
            Assert.Equal(expected, await Ok(OnWharf, args));
            Assert.StartsWith("compiled: hello ", expected, StringComparison.Ordinal);
        }
    }
}
