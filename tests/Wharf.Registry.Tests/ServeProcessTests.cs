using System.Diagnostics;
using System.Net;

namespace Wharf.Registry.Tests;

/// <summary>The real <c>out/wharf registry serve</c> process (./build.sh puts it there).</summary>
public sealed class ServeProcessTests
{
    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Wharf.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("cannot find the checkout root");
    }

    [Fact]
    public async Task ServesUntilSigtermAndKeepsDataAcrossRestarts()
    {
        var wharf = Path.Combine(RepoRoot(), "out", "wharf");
        Assert.True(File.Exists(wharf), "run ./build.sh first");
        var root = Directory.CreateTempSubdirectory("wharf-registry-proc-").FullName;
        try
        {
            string digest;
            await using (var first = await ServeAsync(wharf, root))
            {
                using var client = new HttpClient { BaseAddress = first.Address };
                var data = "pushed through the real process"u8.ToArray();
                digest = TestRegistry.Sha256(data);
                using var post = await client.PostAsync($"/v2/proc/test/blobs/uploads/?digest={digest}", new ByteArrayContent(data));
                Assert.Equal(HttpStatusCode.Created, post.StatusCode);
            }
            await using (var second = await ServeAsync(wharf, root))
            {
                using var client = new HttpClient { BaseAddress = second.Address };
                Assert.Equal("pushed through the real process", await client.GetStringAsync($"/v2/proc/test/blobs/{digest}"));
            }

            var (code, stdout, stderr) = await ProcessRunner.RunAsync(wharf, ["registry", "gc", "--root", root, "--grace", "0s"]);
            Assert.True(code == 0, stderr);
            Assert.Contains("1 blobs removed", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task MissingRootIsAUsageError()
    {
        var wharf = Path.Combine(RepoRoot(), "out", "wharf");
        var (code, _, stderr) = await ProcessRunner.RunAsync(wharf, ["registry", "serve", "--addr", "127.0.0.1:0"]);
        Assert.NotEqual(0, code);
        Assert.Contains("--root", stderr, StringComparison.Ordinal);
    }

    private sealed class Served : IAsyncDisposable
    {
        public required Process Process { get; init; }

        public required Uri Address { get; init; }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                // SIGTERM: the server stops cleanly and exits 0.
                Process.StandardInput.Close();
                using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await Process.WaitForExitAsync(cts.Token);
                    Assert.Equal(0, Process.ExitCode);
                }
                catch (OperationCanceledException)
                {
                    Process.Kill(entireProcessTree: true);
                    throw;
                }
            }
            Process.Dispose();
        }
    }

    private static async Task<Served> ServeAsync(string wharf, string root)
    {
        var psi = new ProcessStartInfo(wharf)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "registry", "serve", "--addr", "127.0.0.1:0", "--root", root })
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await p.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null || !line.StartsWith("listening on ", StringComparison.Ordinal))
        {
            p.Kill(entireProcessTree: true);
            var err = await p.StandardError.ReadToEndAsync(CancellationToken.None);
            p.Dispose();
            throw new InvalidOperationException($"registry did not start: {line} {err}");
        }
        return new Served { Process = p, Address = new Uri(line["listening on ".Length..]) };
    }
}
