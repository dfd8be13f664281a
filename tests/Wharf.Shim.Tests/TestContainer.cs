using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Shim.Tests;

/// <summary>
/// A busybox bundle, a runc root and a shim state dir under one unique /tmp dir. Disposing
/// force-deletes the container, kills the shim if it still runs, removes the container's cgroups
/// and the dir, so a test leaves no process, mount or cgroup behind.
/// </summary>
internal sealed class TestContainer : IAsyncDisposable
{
    public const string Runc = "/usr/sbin/runc";

    private static readonly Lazy<Task<string[]>> Applets = new(async () =>
    {
        var r = await ProcessRunner.RunAsync("/bin/busybox", ["--list"], TimeSpan.FromSeconds(10));
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    });

    private TestContainer(string id)
    {
        Id = id;
        Base = Path.Combine("/tmp", id);
        Bundle = Path.Combine(Base, "bundle");
        State = Path.Combine(Base, "state");
        RuntimeRoot = Path.Combine(Base, "runc");
        LogPath = Path.Combine(State, "ctr.log");
        CgroupName = "wharf-shim-test-" + id;
    }

    public string Id { get; }

    public string Base { get; }

    public string Bundle { get; }

    public string State { get; }

    public string RuntimeRoot { get; }

    public string LogPath { get; }

    public string CgroupName { get; }

    public string AttachSocket => Path.Combine(State, "attach.sock");

    public static async Task<TestContainer> CreateAsync(string[] args, bool terminal = false, Action<JsonObject>? edit = null)
    {
        var c = new TestContainer("wst-" + Guid.NewGuid().ToString("N")[..10]);
        var bin = Path.Combine(c.Bundle, "rootfs", "bin");
        Directory.CreateDirectory(bin);
        Directory.CreateDirectory(c.State);
        Directory.CreateDirectory(c.RuntimeRoot);
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in await Applets.Value)
        {
            var name = Path.GetFileName(applet);
            var link = Path.Combine(bin, name);
            if (name.Length > 0 && !File.Exists(link) && !Directory.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        var spec = await ProcessRunner.RunAsync(Runc, ["spec", "--bundle", c.Bundle], TimeSpan.FromSeconds(20));
        Assert.True(spec.ExitCode == 0, spec.StdErr);
        var configPath = Path.Combine(c.Bundle, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        var process = config["process"]!.AsObject();
        process["args"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        process["terminal"] = terminal;
        var linux = config["linux"]!.AsObject();
        linux["cgroupsPath"] = "/" + c.CgroupName;
        var namespaces = linux["namespaces"]!.AsArray();
        foreach (var ns in namespaces.Where(n => (string?)n!["type"] == "network").ToList())
        {
            namespaces.Remove(ns);
        }

        edit?.Invoke(config);
        File.WriteAllText(configPath, config.ToJsonString());
        return c;
    }

    public string[] ShimArgs(params string[] extra) =>
    [
        "--id", Id, "--bundle", Bundle, "--runtime", Runc, "--runtime-root", RuntimeRoot,
        "--state-dir", State, .. extra,
    ];

    /// <summary>Runs the shim's starter and returns its verdict (stdout JSON and exit code).</summary>
    public async Task<ProcessResult> StartShimAsync(params string[] extra)
        => await ProcessRunner.RunAsync(await ShimBinary.PathAsync(), ShimArgs(extra), TimeSpan.FromSeconds(30));

    /// <summary>Starts the shim and asserts that the container was created.</summary>
    public async Task<JsonElement> CreateAsync(params string[] extra)
    {
        var r = await StartShimAsync(extra);
        Assert.True(r.ExitCode == 0, $"shim exit {r.ExitCode}: {r.StdOut} {r.StdErr} {ShimLog()}");
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.Clone();
    }

    public Task<ProcessResult> RuncAsync(params string[] args)
        => ProcessRunner.RunAsync(Runc, ["--root", RuntimeRoot, .. args], TimeSpan.FromSeconds(30));

    public async Task StartAsync()
    {
        var r = await RuncAsync("start", Id);
        Assert.True(r.ExitCode == 0, "runc start: " + r.StdErr);
    }

    public int? ShimPid()
    {
        var path = Path.Combine(State, "shim.pid");
        return File.Exists(path) ? int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : null;
    }

    public string ShimLog()
    {
        var path = Path.Combine(State, "shim.log");
        return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
    }

    public async Task<JsonElement> WaitExitAsync(TimeSpan? timeout = null)
    {
        var path = Path.Combine(State, "exit");
        await WaitUntilAsync(() => File.Exists(path), timeout ?? TimeSpan.FromSeconds(20), "exit file");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    /// <summary>The json-file entries of one log file, each line checked to be a JSON object.</summary>
    public static List<LogEntry> ReadLog(string path)
    {
        var entries = new List<LogEntry>();
        foreach (var line in File.ReadAllLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            entries.Add(new LogEntry(
                root.GetProperty("log").GetString()!,
                root.GetProperty("stream").GetString()!,
                root.GetProperty("time").GetString()!));
        }

        return entries;
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }

    public IEnumerable<string> LeftoverCgroups()
    {
        foreach (var controller in Directory.GetDirectories("/sys/fs/cgroup"))
        {
            var dir = Path.Combine(controller, CgroupName);
            if (Directory.Exists(dir))
            {
                yield return dir;
            }
        }

        if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && Directory.Exists(Path.Combine("/sys/fs/cgroup", CgroupName)))
        {
            yield return Path.Combine("/sys/fs/cgroup", CgroupName);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RuncAsync("delete", "-f", Id);
        }
        catch (TimeoutException)
        {
        }

        if (ShimPid() is { } pid && IsRunning(pid))
        {
            try
            {
                using var p = System.Diagnostics.Process.GetProcessById(pid);
                p.Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        foreach (var dir in LeftoverCgroups().ToList())
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
            }
        }

        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record LogEntry(string Log, string Stream, string Time);
