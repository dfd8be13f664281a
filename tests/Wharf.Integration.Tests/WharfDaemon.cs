using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// A real wharfd on its own temporary socket and data root. Disposal stops it, unmounts
/// anything left under its root and deletes the root, also when a test failed.
/// </summary>
internal sealed class WharfDaemon : IAsyncDisposable
{
    private Process? _process;

    private WharfDaemon(string dir)
    {
        Dir = dir;
        Socket = Path.Combine(dir, "wharf.sock");
        DataRoot = Path.Combine(dir, "root");
        Client = CreateClient(Socket);
    }

    public string Dir { get; }

    public string Socket { get; }

    public string DataRoot { get; }

    public string Host => "unix://" + Socket;

    /// <summary>Each test daemon puts its containers under its own cgroup parent, removed at the end.</summary>
    public string CgroupParent { get; private set; } = "wharf-it-" + Guid.NewGuid().ToString("N")[..12];

    public HttpClient Client { get; }

    /// <summary>The wharfd process id (while it runs).</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("wharfd is not running");

    public StringWriter Log { get; } = new();

    public IDictionary<string, string> DockerEnv => new Dictionary<string, string> { ["DOCKER_HOST"] = Host, ["DOCKER_CONFIG"] = Path.Combine(Dir, "docker-config") };

    public static async Task<WharfDaemon> StartAsync(string? configJson = null)
    {
        var dir = Directory.CreateTempSubdirectory("wharf-it-").FullName;
        var d = new WharfDaemon(dir);
        if (configJson is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "daemon.json"), configJson);
        }

        await d.StartProcessAsync();
        return d;
    }

    /// <summary>A daemon whose daemon.json the test writes, given the daemon's own cgroup parent.</summary>
    public static async Task<WharfDaemon> StartWithConfigAsync(Func<string, string> configForCgroupParent)
    {
        var dir = Directory.CreateTempSubdirectory("wharf-it-").FullName;
        var d = new WharfDaemon(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "daemon.json"), configForCgroupParent(d.CgroupParent));
        await d.StartProcessAsync();
        return d;
    }

    /// <summary>The file as a JSON object, or null when a test wrote something else on purpose.</summary>
    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async Task StartProcessAsync()
    {
        var psi = new ProcessStartInfo(Repo.Wharfd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-H", Host, "--data-root", DataRoot, "--exec-root", Path.Combine(Dir, "exec"), "--pidfile", Path.Combine(Dir, "wharfd.pid"), "--config-file", Path.Combine(Dir, "daemon.json") })
        {
            psi.ArgumentList.Add(a);
        }

        if (!File.Exists(Path.Combine(Dir, "daemon.json")))
        {
            // No default bridge unless a test asks for one: daemons run side by side here, and
            // each would otherwise claim the same bridge name.
            await File.WriteAllTextAsync(Path.Combine(Dir, "daemon.json"), $$"""{"cgroup-parent":"{{CgroupParent}}","bridge":"none"}""");
        }
        else if (ParseObject(await File.ReadAllTextAsync(Path.Combine(Dir, "daemon.json"))) is { } own)
        {
            // A cgroup parent the test names is the one to remove at the end.
            if (own["cgroup-parent"] is JsonValue named && named.TryGetValue<string>(out var parent) && parent.Length > 0)
            {
                CgroupParent = parent;
            }

            // A test's own daemon.json gets no default bridge either, unless it names one: a
            // daemon with one would share wharf0 with every other and leave its chains behind.
            if (!own.ContainsKey("bridge"))
            {
                own["bridge"] = "none";
                await File.WriteAllTextAsync(Path.Combine(Dir, "daemon.json"), own.ToJsonString());
            }
        }

        // WHARF_IT_RUNTIME=crun runs the suite's containers with another default runtime (by hand:
        // the suite itself runs with runc, and RuntimeSelectionTests covers crun).
        if (Environment.GetEnvironmentVariable("WHARF_IT_RUNTIME") is { Length: > 0 } runtime
            && ParseObject(await File.ReadAllTextAsync(Path.Combine(Dir, "daemon.json"))) is { } config && !config.ContainsKey("default-runtime"))
        {
            config["default-runtime"] = runtime;
            await File.WriteAllTextAsync(Path.Combine(Dir, "daemon.json"), config.ToJsonString());
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { lock (Log) { Log.WriteLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (Log) { Log.WriteLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("wharfd exited: " + Log);
            }

            try
            {
                using var r = await Client.GetAsync("/_ping");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("wharfd did not answer /_ping: " + Log);
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var r = await Client.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var req = new HttpRequestMessage(method, path) { Content = content };
        using var r = await Client.SendAsync(req);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>Imports a tar through the API and returns the image ID.</summary>
    public async Task<string> ImportAsync(byte[] tar, string repo, string tag, params string[] changes)
    {
        var q = $"/images/create?fromSrc=-&repo={Uri.EscapeDataString(repo)}&tag={tag}" + string.Concat(changes.Select(c => "&changes=" + Uri.EscapeDataString(c)));
        var (status, body) = await SendAsync(HttpMethod.Post, q, new ByteArrayContent(tar));
        Assert.True(status == 200, $"import: {status} {body}");
        var id = JsonNode.Parse(body.Split('\n')[0])!["status"]!.GetValue<string>();
        Assert.StartsWith("sha256:", id);
        return id;
    }

    public Task<ProcessResult> DockerAsync(params string[] args) => ProcessRunner.RunAsync("/usr/local/bin/docker", args, DockerEnv);

    /// <summary><c>docker build ARGS</c> with the legacy builder (<c>DOCKER_BUILDKIT=0</c>), as the build tests drive it.</summary>
    public Task<ProcessResult> LegacyBuildAsync(params string[] args)
    {
        var env = DockerEnv;
        env["DOCKER_BUILDKIT"] = "0";
        return ProcessRunner.RunAsync("/usr/local/bin/docker", ["build", .. args], env, timeout: TimeSpan.FromMinutes(2));
    }

    public Task<ProcessResult> DockerWithStdinAsync(string stdinFile, params string[] args) => ProcessRunner.RunAsync("/usr/local/bin/docker", args, DockerEnv, stdinFile);

    public Task<ProcessResult> WharfAsync(params string[] args) => ProcessRunner.RunAsync(Repo.Wharf, args, DockerEnv);

    public Task<ProcessResult> WharfWithStdinAsync(string stdinFile, params string[] args) => ProcessRunner.RunAsync(Repo.Wharf, args, DockerEnv, stdinFile);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        await RemoveLeftoverContainersAsync();
        foreach (var line in File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Dir, StringComparison.Ordinal)).OrderByDescending(m => m.Length))
        {
            await ProcessRunner.RunAsync("umount", ["-l", line]);
        }

        Directory.Delete(Dir, recursive: true);
    }

    /// <summary>
    /// Containers outlive the daemon by design; a test's daemon root must not leave any behind.
    /// </summary>
    private async Task RemoveLeftoverContainersAsync()
    {
        var runcRoot = Path.Combine(Dir, "exec", "runc");
        if (Directory.Exists(runcRoot))
        {
            foreach (var id in Directory.GetDirectories(runcRoot).Select(Path.GetFileName))
            {
                await ProcessRunner.RunAsync("runc", ["--root", runcRoot, "delete", "-f", id!]);
            }
        }

        // Containers of other runtimes (crun) are in <exec-root>/runtime-NAME; crun needs the
        // same cgroup v1 view wharf-shim gives it on this hybrid host.
        var exec = Path.Combine(Dir, "exec");
        foreach (var root in Directory.Exists(exec) ? Directory.GetDirectories(exec, "runtime-*") : [])
        {
            foreach (var id in Directory.GetDirectories(root).Select(Path.GetFileName))
            {
                await ProcessRunner.RunAsync(Path.Combine(Repo.Root, "out", "wharf-shim"), ["--cgroup-v1-view-exec", "/usr/bin/crun", "--root", root, "delete", "-f", id!]);
            }
        }

        // "--": the pattern starts with dashes, which pkill would otherwise take for an option.
        await ProcessRunner.RunAsync("pkill", ["-9", "-f", "--", "--state-dir " + Dir]);
        foreach (var controller in Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [])
        {
            var parent = Path.Combine(controller, CgroupParent);
            if (Directory.Exists(parent))
            {
                foreach (var child in Directory.GetDirectories(parent))
                {
                    TryRemoveDirectory(child);
                }

                TryRemoveDirectory(parent);
            }
        }
    }

    /// <summary>cgroup directories are removed with rmdir (their files cannot be deleted).</summary>
    private static void TryRemoveDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: false);
        }
        catch (IOException)
        {
        }
    }

    internal static HttpClient CreateClient(string socket)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(120) };
    }
}
