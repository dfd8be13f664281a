using System.Text;

namespace Wharf.Shim.Tests;

[Collection(ShimCollection.Name)]
public sealed class ShimAttachTests
{
    [Fact]
    public async Task AttachGetsMultiplexedFramesAndFeedsStdin()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "echo out; echo err >&2; cat; echo bye"]);
        await c.CreateAsync("--stdin", "--log", c.LogPath);
        using var client = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdin stdout stderr stdin-once");
        await c.StartAsync();
        await client.SendAsync("ping\n");
        client.ShutdownWrite(); // stdin-once: cat sees EOF, the shell says bye and exits

        var got = new Dictionary<int, StringBuilder> { [1] = new(), [2] = new() };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await client.ReadFrameAsync(cts.Token) is { } frame)
        {
            Assert.InRange(frame.Stream, 1, 2);
            got[frame.Stream].Append(Encoding.UTF8.GetString(frame.Payload));
        }

        Assert.Equal("out\nping\nbye\n", got[1].ToString());
        Assert.Equal("err\n", got[2].ToString());
        var exit = await c.WaitExitAsync();
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());
        Assert.False(File.Exists(c.AttachSocket));
    }

    [Fact]
    public async Task StdinOnceClientThatDisconnectsClosesStdin()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "cat; echo eof"]);
        await c.CreateAsync("--stdin", "--log", c.LogPath);
        await c.StartAsync();
        using (var client = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdin stdin-once"))
        {
            await client.SendAsync("abc\n");
        }

        var exit = await c.WaitExitAsync();
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());
        Assert.Equal(["abc\n", "eof\n"], TestContainer.ReadLog(c.LogPath).Select(e => e.Log));
    }

    [Fact]
    public async Task StdinStaysOpenWithoutStdinOnce()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "cat; echo eof"]);
        await c.CreateAsync("--stdin", "--log", c.LogPath);
        await c.StartAsync();
        using (var client = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdin"))
        {
            await client.SendAsync("abc\n");
            client.ShutdownWrite();
        }

        await TestContainer.WaitUntilAsync(() => File.Exists(c.LogPath) && new FileInfo(c.LogPath).Length > 0, TimeSpan.FromSeconds(10), "echoed line");
        await Task.Delay(300);
        Assert.False(File.Exists(Path.Combine(c.State, "exit")));
        Assert.Equal(["abc\n"], TestContainer.ReadLog(c.LogPath).Select(e => e.Log));
    }

    [Fact]
    public async Task SeveralClientsEachGetTheirStreams()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "echo one; echo two >&2"]);
        await c.CreateAsync();
        using var outOnly = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdout");
        using var both = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdout stderr");
        await c.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var a = new List<(int, string)>();
        while (await outOnly.ReadFrameAsync(cts.Token) is { } f)
        {
            a.Add((f.Stream, Encoding.UTF8.GetString(f.Payload)));
        }

        var b = new List<(int, string)>();
        while (await both.ReadFrameAsync(cts.Token) is { } f)
        {
            b.Add((f.Stream, Encoding.UTF8.GetString(f.Payload)));
        }

        Assert.Equal([(1, "one\n")], a);
        Assert.Equal(["one\n", "two\n"], b.OrderBy(x => x.Item1).Select(x => x.Item2));
    }

    [Fact]
    public async Task SlowClientDoesNotBlockTheContainer()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "head -c 8000000 /dev/zero | tr '\\0' y | fold -w 99"]);
        await c.CreateAsync("--log", c.LogPath, "--log-max-size", "0");
        using var sleeper = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdout stderr"); // never reads
        await c.StartAsync();
        var exit = await c.WaitExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());
        var total = TestContainer.ReadLog(c.LogPath).Sum(e => (long)e.Log.Length);
        Assert.Equal(8000000 + (8000000 / 99), total); // every byte plus fold's newlines (none after the last, partial line)
    }

    [Fact]
    public async Task ClosedClientsAreForgottenWithoutSpinning()
    {
        await using var c = await TestContainer.CreateAsync(["sleep", "100"]);
        await c.CreateAsync("--stdin");
        using (await AttachClient.ConnectAsync(c.AttachSocket, "attach stdin stdout stderr"))
        {
        }

        await c.StartAsync();
        var pid = c.ShimPid()!.Value;
        var before = CpuTicks(pid);
        await Task.Delay(1000);
        var used = CpuTicks(pid) - before;
        Assert.True(used < 10, $"idle shim used {used} clock ticks in one second");
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task TtyStreamsRawBytesAndResizeReachesThePty()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "stty size; read x; echo got:$x; stty size"], terminal: true);
        await c.CreateAsync("--tty", "--stdin", "--log", c.LogPath);
        Assert.Equal("ok", await AttachClient.RequestAsync(c.AttachSocket, "resize 40 100"));
        using var client = await AttachClient.ConnectAsync(c.AttachSocket, "attach stdin stdout");
        await c.StartAsync();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new StringBuilder();
        async Task WaitForAsync(string text)
        {
            while (!seen.ToString().Contains(text, StringComparison.Ordinal))
            {
                var chunk = await client.ReadRawAsync(cts.Token);
                Assert.True(chunk.Length > 0, "stream ended before " + text + "; got " + seen);
                seen.Append(Encoding.UTF8.GetString(chunk));
            }
        }

        await WaitForAsync("40 100\r\n");
        Assert.Equal("ok", await AttachClient.RequestAsync(c.AttachSocket, "resize 50 120"));
        await client.SendAsync("hi\n");
        await WaitForAsync("50 120\r\n");
        Assert.Contains("got:hi\r\n", seen.ToString(), StringComparison.Ordinal);

        var exit = await c.WaitExitAsync();
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());
        var entries = TestContainer.ReadLog(c.LogPath);
        Assert.All(entries, e => Assert.Equal("stdout", e.Stream));
        Assert.Contains("50 120\r\n", string.Concat(entries.Select(e => e.Log)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResizeWithoutTtyAndStdinWithoutStdinAreRefused()
    {
        await using var c = await TestContainer.CreateAsync(["sleep", "100"]);
        await c.CreateAsync();
        Assert.StartsWith("error", await AttachClient.RequestAsync(c.AttachSocket, "resize 10 10"), StringComparison.Ordinal);
        Assert.StartsWith("error", await AttachClient.RequestAsync(c.AttachSocket, "attach stdin"), StringComparison.Ordinal);
        Assert.StartsWith("error", await AttachClient.RequestAsync(c.AttachSocket, "bogus"), StringComparison.Ordinal);
    }
}
