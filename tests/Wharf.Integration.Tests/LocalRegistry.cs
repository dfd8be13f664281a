using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Integration.Tests;

/// <summary>
/// Debian's reference registry (docker-registry) on an ephemeral loopback port with its own
/// temporary storage, optionally with htpasswd basic auth. Disposal stops it and removes its files.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRegistry(string dir, int port, Process process)
    {
        Dir = dir;
        Port = port;
        _process = process;
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>host:port as references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public static async Task<LocalRegistry> StartAsync(string? htpasswdUser = null, string? htpasswdPassword = null)
    {
        Assert.True(File.Exists("/usr/bin/docker-registry"), "docker-registry is installed by scripts/install-deps.sh");
        var dir = Directory.CreateTempSubdirectory("wharf-reg-").FullName;
        var port = FreePort();
        var auth = "";
        if (htpasswdUser is not null)
        {
            var htpasswd = Path.Combine(dir, "htpasswd");
            var r = await ProcessRunner.RunAsync("htpasswd", ["-Bbc", htpasswd, htpasswdUser, htpasswdPassword!]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            auth = $"""
                auth:
                  htpasswd:
                    realm: wharf-test
                    path: {htpasswd}

                """;
        }

        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var psi = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var reg = new LocalRegistry(dir, port, p);
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var resp = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (resp.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return reg;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        await reg.DisposeAsync();
        throw new TimeoutException("docker-registry did not start");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Puts an image of a wharfd into this registry with skopeo (docker save → docker-archive → registry).</summary>
    public async Task PushWithSkopeoAsync(WharfDaemon daemon, string image, string target, string? creds = null)
    {
        var archive = Path.Combine(Dir, Guid.NewGuid().ToString("N") + ".tar");
        await using (var f = File.Create(archive))
        {
            using var r = await daemon.Client.GetAsync($"/images/{image}/get", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)r.StatusCode);
            await r.Content.CopyToAsync(f);
        }

        string[] args = ["copy", "--quiet", "docker-archive:" + archive, $"docker://{Host}/{target}", "--dest-tls-verify=false"];
        if (creds is not null)
        {
            args = [.. args, "--dest-creds", creds];
        }

        var result = await ProcessRunner.RunAsync("skopeo", args);
        Assert.True(result.ExitCode == 0, "skopeo copy: " + result.Stderr);
        File.Delete(archive);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
