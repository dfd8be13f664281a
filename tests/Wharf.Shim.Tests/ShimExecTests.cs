using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Shim.Tests;

/// <summary>The exec mode: one shim per exec process, started by a <c>start</c> request.</summary>
[Collection(ShimCollection.Name)]
public sealed class ShimExecTests
{
    [Fact]
    public async Task ExecRunsOnStartAndAttachedClientSeesAllOutputAndTheExit()
    {
        await using var c = await RunningContainerAsync();
        var exec = await ExecDirAsync(c, "e1", ["sh", "-c", "echo out; echo err >&2; cat; exit 5"]);
        var verdict = await StartExecShimAsync(c, exec, "--stdin");
        Assert.Equal(0, verdict.GetProperty("initPid").GetInt32());
        Assert.False(File.Exists(Path.Combine(exec.State, "init.pid")));

        using var client = await AttachClient.ConnectAsync(Path.Combine(exec.State, "attach.sock"), "attach stdin stdout stderr stdin-once");
        var reply = await AttachClient.RequestAsync(Path.Combine(exec.State, "attach.sock"), "start");
        Assert.Matches("^ok [1-9][0-9]*$", reply);
        await client.SendAsync("typed\n");
        client.ShutdownWrite();

        var got = new Dictionary<int, StringBuilder> { [1] = new(), [2] = new() };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await client.ReadFrameAsync(cts.Token) is { } frame)
        {
            got[frame.Stream].Append(Encoding.UTF8.GetString(frame.Payload));
        }

        Assert.Equal("out\ntyped\n", got[1].ToString());
        Assert.Equal("err\n", got[2].ToString());
        var exit = await WaitFileAsync(Path.Combine(exec.State, "exit"));
        Assert.Equal(5, exit.GetProperty("exitCode").GetInt32());
        // The container's own monitor and log are untouched.
        Assert.False(File.Exists(Path.Combine(c.State, "exit")));
        Assert.DoesNotContain("typed", File.ReadAllText(c.LogPath), StringComparison.Ordinal);
        await TestContainer.WaitUntilAsync(() => !TestContainer.IsRunning(ShimPidOf(exec.State)), TimeSpan.FromSeconds(10), "exec shim exit");
    }

    [Fact]
    public async Task MissingExecutableIsReportedAndTheShimLeaves()
    {
        await using var c = await RunningContainerAsync();
        var exec = await ExecDirAsync(c, "e2", ["no-such-binary"]);
        await StartExecShimAsync(c, exec);
        var reply = await AttachClient.RequestAsync(Path.Combine(exec.State, "attach.sock"), "start");
        Assert.StartsWith("error ", reply, StringComparison.Ordinal);
        Assert.Contains("executable file not found in $PATH", reply, StringComparison.Ordinal);
        Assert.Contains("executable file not found", File.ReadAllText(Path.Combine(exec.State, "start-error")), StringComparison.Ordinal);
        await TestContainer.WaitUntilAsync(() => !TestContainer.IsRunning(ShimPidOf(exec.State)), TimeSpan.FromSeconds(10), "exec shim exit");
        Assert.False(File.Exists(Path.Combine(exec.State, "exit")));
    }

    [Fact]
    public async Task KillRequestSignalsTheExecProcessAndASecondStartIsRefused()
    {
        await using var c = await RunningContainerAsync();
        var exec = await ExecDirAsync(c, "e3", ["sleep", "300"]);
        await StartExecShimAsync(c, exec);
        var sock = Path.Combine(exec.State, "attach.sock");
        Assert.StartsWith("ok ", await AttachClient.RequestAsync(sock, "start"), StringComparison.Ordinal);
        Assert.Equal("error already started", await AttachClient.RequestAsync(sock, "start"));
        Assert.Equal("error bad signal", await AttachClient.RequestAsync(sock, "kill 0"));
        Assert.Equal("ok", await AttachClient.RequestAsync(sock, "kill 9"));
        var exit = await WaitFileAsync(Path.Combine(exec.State, "exit"));
        Assert.Equal(137, exit.GetProperty("exitCode").GetInt32());
        Assert.Equal(9, exit.GetProperty("signal").GetInt32());
    }

    [Fact]
    public async Task ExecWithTtyGetsAPtyAndRawOutput()
    {
        await using var c = await RunningContainerAsync();
        var exec = await ExecDirAsync(c, "e4", ["sh", "-c", "tty; sleep 0.5; stty size"], terminal: true);
        await StartExecShimAsync(c, exec, "--tty");
        var sock = Path.Combine(exec.State, "attach.sock");
        using var client = await AttachClient.ConnectAsync(sock, "attach stdout stderr");
        Assert.StartsWith("ok ", await AttachClient.RequestAsync(sock, "start"), StringComparison.Ordinal);
        Assert.Equal("ok", await AttachClient.RequestAsync(sock, "resize 33 99"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sb = new StringBuilder();
        for (byte[] chunk; (chunk = await client.ReadRawAsync(cts.Token)).Length > 0;)
        {
            sb.Append(Encoding.UTF8.GetString(chunk));
        }

        var text = sb.ToString();
        Assert.Contains("33 99", text, StringComparison.Ordinal);
        Assert.StartsWith("/dev/pts/", text, StringComparison.Ordinal);
        Assert.Equal(0, (await WaitFileAsync(Path.Combine(exec.State, "exit"))).GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task ExecArgumentsAreChecked()
    {
        var r = await ProcessRunner.RunAsync(await ShimBinary.PathAsync(), ["--exec", "--id", "x", "--runtime-root", "/tmp", "--state-dir", "/tmp"], TimeSpan.FromSeconds(10));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--process is required", r.StdOut, StringComparison.Ordinal);
    }

    private sealed record ExecDir(string State, string Process);

    private static async Task<TestContainer> RunningContainerAsync()
    {
        var c = await TestContainer.CreateAsync(["sleep", "300"]);
        await c.CreateAsync("--log", c.LogPath);
        await c.StartAsync();
        return c;
    }

    /// <summary>A state dir and process.json for one exec: the container's process with other args.</summary>
    private static async Task<ExecDir> ExecDirAsync(TestContainer c, string name, string[] args, bool terminal = false)
    {
        var dir = Path.Combine(c.Base, "execs", name);
        Directory.CreateDirectory(dir);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(c.Bundle, "config.json")))!;
        var process = config["process"]!.AsObject();
        process["args"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray());
        process["terminal"] = terminal;
        var path = Path.Combine(c.Base, "execs", name + ".json");
        await File.WriteAllTextAsync(path, process.ToJsonString());
        return new ExecDir(dir, path);
    }

    private static async Task<JsonElement> StartExecShimAsync(TestContainer c, ExecDir exec, params string[] extra)
    {
        var r = await ProcessRunner.RunAsync(await ShimBinary.PathAsync(),
            ["--exec", "--process", exec.Process, "--id", c.Id, "--runtime", TestContainer.Runc, "--runtime-root", c.RuntimeRoot, "--state-dir", exec.State, .. extra],
            TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, $"shim exit {r.ExitCode}: {r.StdOut} {r.StdErr}");
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.Clone();
    }

    private static int ShimPidOf(string state) => int.Parse(File.ReadAllText(Path.Combine(state, "shim.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonElement> WaitFileAsync(string path)
    {
        await TestContainer.WaitUntilAsync(() => File.Exists(path), TimeSpan.FromSeconds(20), Path.GetFileName(path));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        return doc.RootElement.Clone();
    }
}
