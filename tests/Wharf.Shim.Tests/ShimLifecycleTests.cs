using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Wharf.Shim.Tests;

[Collection(ShimCollection.Name)]
public sealed class ShimLifecycleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task ExitCodeIsRecorded(int code)
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "exit " + code.ToString(CultureInfo.InvariantCulture)]);
        var created = await c.CreateAsync();
        Assert.True(created.GetProperty("initPid").GetInt32() > 0);
        Assert.Equal(c.ShimPid(), created.GetProperty("shimPid").GetInt32());
        Assert.True(File.Exists(Path.Combine(c.State, "init.pid")));
        Assert.False(File.Exists(Path.Combine(c.State, "exit")));
        await c.StartAsync();
        var exit = await c.WaitExitAsync();
        Assert.Equal(code, exit.GetProperty("exitCode").GetInt32());
        Assert.False(exit.GetProperty("oomKilled").GetBoolean());
        Assert.False(exit.TryGetProperty("signal", out _));
        var at = DateTimeOffset.Parse(exit.GetProperty("exitedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow - at, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        await AssertShimGoneAsync(c);
    }

    [Fact]
    public async Task KilledContainerReports137AndSignal()
    {
        await using var c = await TestContainer.CreateAsync(["sleep", "100"]);
        await c.CreateAsync();
        await c.StartAsync();
        var kill = await c.RuncAsync("kill", c.Id, "KILL");
        Assert.True(kill.ExitCode == 0, kill.StdErr);
        var exit = await c.WaitExitAsync();
        Assert.Equal(137, exit.GetProperty("exitCode").GetInt32());
        Assert.Equal(9, exit.GetProperty("signal").GetInt32());
        await AssertShimGoneAsync(c);
    }

    [Fact]
    public async Task OomKillIsDetected()
    {
        static void Limit(JsonObject config)
        {
            var linux = config["linux"]!.AsObject();
            linux["resources"] = new JsonObject
            {
                ["memory"] = new JsonObject { ["limit"] = 16L * 1024 * 1024, ["swap"] = 16L * 1024 * 1024 },
            };
        }

        // The shell variable holds 64 MB, four times the limit.
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo survived"], edit: Limit);
        await c.CreateAsync("--log", c.LogPath);
        await c.StartAsync();
        var exit = await c.WaitExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(exit.ToString());
        Assert.True(exit.GetProperty("oomKilled").GetBoolean(), exit.ToString());
    }

    [Fact]
    public async Task ShimOutlivesItsStarter()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "sleep 1; echo done"]);
        var shim = await ShimBinary.PathAsync();
        var args = string.Join(' ', c.ShimArgs("--log", c.LogPath).Select(a => "'" + a + "'"));

        // The starter is backgrounded by a shell that exits at once.
        var sh = await ProcessRunner.RunAsync("/bin/sh", ["-c", $"'{shim}' {args} >/dev/null 2>&1 & exit 0"], TimeSpan.FromSeconds(10));
        Assert.Equal(0, sh.ExitCode);
        await TestContainer.WaitUntilAsync(() => File.Exists(c.AttachSocket), TimeSpan.FromSeconds(20), "attach.sock");
        var pid = c.ShimPid()!.Value;
        Assert.True(TestContainer.IsRunning(pid));
        await c.StartAsync();
        var exit = await c.WaitExitAsync();
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());
        Assert.Equal(["done\n"], TestContainer.ReadLog(c.LogPath).Select(e => e.Log));
    }

    [Fact]
    public async Task CreateFailureReportsRuntimeErrorAndLeavesNothing()
    {
        await using var c = await TestContainer.CreateAsync(["/no/such/binary"]);
        var r = await c.StartShimAsync("--log", c.LogPath);
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var error = doc.RootElement.GetProperty("error").GetString()!;
        Assert.Contains("/no/such/binary", error, StringComparison.Ordinal);
        Assert.Contains("no such file or directory", error, StringComparison.Ordinal);
        Assert.Equal(error, File.ReadAllText(Path.Combine(c.State, "create-error")));

        var list = await c.RuncAsync("list", "-q");
        Assert.DoesNotContain(c.Id, list.StdOut, StringComparison.Ordinal);
        await AssertShimGoneAsync(c);
        Assert.False(File.Exists(c.AttachSocket));
        Assert.Empty(c.LeftoverCgroups());
    }

    [Fact]
    public async Task ContainerGetsOnlyItsThreeStdioFds()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "ls /proc/1/fd; true"]);
        await c.CreateAsync("--stdin", "--log", c.LogPath);
        await c.StartAsync();
        await c.WaitExitAsync();
        Assert.Equal(["0\n", "1\n", "2\n"], TestContainer.ReadLog(c.LogPath).Select(e => e.Log));
    }

    [Fact]
    public async Task BadArgumentsExitWithTwo()
    {
        var r = await ProcessRunner.RunAsync(await ShimBinary.PathAsync(), ["--id", "x"], TimeSpan.FromSeconds(10));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("\"error\"", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleShimIsSmall()
    {
        await using var c = await TestContainer.CreateAsync(["sleep", "100"]);
        await c.CreateAsync("--log", c.LogPath, "--stdin");
        await c.StartAsync();
        await Task.Delay(300);
        var pid = c.ShimPid()!.Value;
        var rssLine = File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(rssLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        output.WriteLine($"idle wharf-shim VmRSS: {kb} kB");
        Assert.InRange(kb, 1, 2048);
    }

    private static async Task AssertShimGoneAsync(TestContainer c)
    {
        var pid = c.ShimPid();
        Assert.NotNull(pid);
        await TestContainer.WaitUntilAsync(() => !TestContainer.IsRunning(pid.Value), TimeSpan.FromSeconds(10), "shim to exit");
    }
}
