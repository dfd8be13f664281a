using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>docker search</c> and <c>wharf search</c> through wharfd. Debian's docker-registry has no
/// <c>/v1/search</c>, so the peer here is a small loopback server answering in Docker Hub's shape.
/// </summary>
public sealed class RegistrySearchTests
{
    [Fact]
    public async Task SearchProxiesTheRegistrysV1SearchWithTheLimit()
    {
        var port = LocalRegistry.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var queries = new List<string>();
        var serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var path = ctx.Request.Url!.AbsolutePath;
                byte[] body = "{}"u8.ToArray();
                if (path == "/v1/search")
                {
                    lock (queries)
                    {
                        queries.Add(ctx.Request.Url.Query);
                    }

                    body = Encoding.UTF8.GetBytes("""{"num_results":3,"query":"busy","results":[{"name":"library/busybox","description":"Busybox base image.","star_count":3200,"is_official":true,"is_automated":false},{"name":"team/busy-app","description":"an app","star_count":7,"is_official":false,"is_automated":true},{"name":"team/busy-other","description":"","star_count":0,"is_official":false,"is_automated":false}]}""");
                }

                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });

        try
        {
            await using var d = await WharfDaemon.StartAsync("{\"cgroup-parent\":\"wharf-it-search-" + Guid.NewGuid().ToString("N")[..8] + "\"}");
            var api = await d.GetJsonAsync($"/images/search?term=127.0.0.1:{port}/busy&limit=2");
            var rows = api.AsArray();
            Assert.Equal(2, rows.Count);
            Assert.Equal("library/busybox", rows[0]!["name"]!.GetValue<string>());
            Assert.True(rows[0]!["is_official"]!.GetValue<bool>());
            Assert.Equal(7, rows[1]!["star_count"]!.GetValue<int>());
            Assert.Contains(queries, q => q.Contains("q=busy", StringComparison.Ordinal) && q.Contains("n=2", StringComparison.Ordinal));

            var docker = await d.DockerAsync("search", $"127.0.0.1:{port}/busy");
            Assert.True(docker.ExitCode == 0, docker.Stderr);
            Assert.Contains("library/busybox", docker.Stdout);
            Assert.Contains("team/busy-other", docker.Stdout);

            var wharf = await d.WharfAsync("search", "--limit", "1", $"127.0.0.1:{port}/busy");
            Assert.True(wharf.ExitCode == 0, wharf.Stderr);
            var lines = wharf.Stdout.TrimEnd().Split('\n');
            Assert.StartsWith("NAME", lines[0]);
            Assert.Equal(2, lines.Length);
            Assert.Contains("[OK]", lines[1]);

            var (status, _) = await d.SendAsync(HttpMethod.Get, "/images/search?term=x&limit=0");
            Assert.Equal(400, status);
        }
        finally
        {
            listener.Stop();
            await serve;
        }
    }
}
