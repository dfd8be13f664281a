using System.Text.RegularExpressions;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>docker run -it</c>, <c>wharf run -it</c>, attach and detach on a real pseudo-terminal of a
/// known size: the container sees that size, typed input is echoed once (by the container's
/// pty, not also by the local terminal), ctrl-p ctrl-q detaches and leaves the container running,
/// exit codes come back.
/// </summary>
public sealed class InteractiveTerminalTests(AttachFixture fixture) : IClassFixture<AttachFixture>
{
    private const string DetachKeys = "\u0010\u0011";

    private WharfDaemon D => fixture.Daemon;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private PtySession Start(int rows, int cols, string cli, params string[] args)
        => PtySession.Start(rows, cols, D.DockerEnv, cli switch { "docker" => "/usr/local/bin/docker", "wharf" => Repo.Wharf, _ => cli }, args);

    [Theory]
    [InlineData("docker")]
    [InlineData("wharf")]
    public async Task RunItHasTheTerminalSizeEchoesOnceAndReturnsTheExitCode(string cli)
    {
        await using var pty = Start(33, 91, cli, "run", "-it", "--rm", "--network", "none", "busybox", "sh");
        await pty.WaitForAsync("# ");
        int mark = pty.Screen.Length;
        await pty.TypeAsync("stty size\r");
        await pty.WaitForAsync(@"\r\n33 91\r\n", mark);

        mark = pty.Screen.Length;
        await pty.TypeAsync("echo one$((40+2))\r");
        await pty.WaitForAsync(@"one42\r\n", mark);
        var after = pty.Screen[mark..];
        Assert.True(Regex.Matches(after, Regex.Escape("echo one$((40+2))")).Count == 1, "typed input must be echoed exactly once:\n" + PtySession.Escape(after));

        await pty.TypeAsync("exit 7\r");
        Assert.Equal(7, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task DockerRunItStatesTheSizeBeforeAnyResize()
    {
        // stty runs at once: only the size given at create (HostConfig.ConsoleSize) can be there in time.
        await using var pty = Start(21, 77, "docker", "run", "-it", "--rm", "--network", "none", "busybox", "stty", "size");
        await pty.WaitForAsync(@"21 77\r\n");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task WharfRunItStatesTheSizeBeforeAnyResize()
    {
        await using var pty = Start(22, 78, "wharf", "run", "-it", "--rm", "--network", "none", "busybox", "stty", "size");
        await pty.WaitForAsync(@"22 78\r\n");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task WharfFollowsWindowResizes()
    {
        await using var pty = Start(24, 80, "wharf", "run", "-it", "--rm", "--network", "none", "busybox", "sh");
        await pty.WaitForAsync("# ");
        await pty.ResizeAsync(40, 100);
        // The resize travels CLI -> daemon -> shim; ask until the shell sees it.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            int mark = pty.Screen.Length;
            await pty.TypeAsync("stty size\r");
            var m = await pty.WaitForAsync(@"\r\n(\d+ \d+)\r\n", mark);
            if (m.Groups[1].Value == "40 100")
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the container never saw 40 100: " + PtySession.Escape(pty.Screen));
            await Task.Delay(200);
        }

        await pty.TypeAsync("exit\r");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("wharf")]
    public async Task CtrlPCtrlQDetachesAndAttachGetsBackIn(string cli)
    {
        var name = Unique("detach-" + cli);
        await using (var run = Start(30, 100, cli, "run", "-it", "--name", name, "--network", "none", "busybox", "sh"))
        {
            await run.WaitForAsync("# ");
            await run.TypeAsync("echo before\r");
            await run.WaitForAsync(@"before\r\n");
            await run.TypeAsync(DetachKeys);
            Assert.Equal(0, await run.WaitForExitAsync());
        }

        Assert.Equal("true", (await D.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());

        await using (var attach = Start(30, 100, cli, "attach", name))
        {
            // Attach resizes the tty one larger, then right: the shell redraws its prompt, and
            // output shows only once the local terminal is raw (typing earlier would be cooked).
            await attach.WaitForAsync("# ");
            int mark = attach.Screen.Length;
            await attach.TypeAsync("echo again$((1+1))\r");
            await attach.WaitForAsync(@"again2\r\n", mark);

            // Detaching from attach is docker attach's "error": the message and exit status 1.
            await attach.TypeAsync(DetachKeys);
            Assert.Equal(1, await attach.WaitForExitAsync());
            Assert.Contains("read escape sequence", attach.Screen, StringComparison.Ordinal);
        }

        Assert.Equal("true", (await D.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());
        await using (var attach = Start(30, 100, cli, "attach", name))
        {
            await attach.WaitForAsync("# ");
            await attach.TypeAsync("exit 5\r");
            Assert.Equal(5, await attach.WaitForExitAsync());
        }

        Assert.Equal("exited 5", (await D.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name)).Stdout.Trim());
        await D.DockerAsync("rm", "-f", name);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("wharf")]
    public async Task CustomDetachKeysAndAPartialSequenceReachesTheContainer(string cli)
    {
        var name = Unique("keys-" + cli);
        await using (var run = Start(30, 100, cli, "run", "-it", "--detach-keys", "z,q", "--name", name, "--network", "none", "busybox", "sh"))
        {
            await run.WaitForAsync("# ");
            int mark = run.Screen.Length;

            // "z" starts the sequence; "y" breaks it, so both reach the shell.
            await run.TypeAsync("echo A-zy-B\r");
            await run.WaitForAsync(@"\r\nA-zy-B\r\n", mark);

            // The default keys are not the detach keys now: ctrl-p ctrl-q go to the shell
            // (history up, nothing), ctrl-u clears the line.
            mark = run.Screen.Length;
            await run.TypeAsync(DetachKeys + "\u0015echo still-here\r");
            await run.WaitForAsync(@"\r\nstill-here\r\n", mark);
            await run.TypeAsync("zq");
            Assert.Equal(0, await run.WaitForExitAsync());
        }

        Assert.Equal("true", (await D.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());
        await D.DockerAsync("rm", "-f", name);
    }

    [Theory]
    [InlineData("exit 9\r", 9)]
    [InlineData(DetachKeys, 0)]
    public async Task WharfRestoresTheTerminal(string keys, int code)
    {
        var name = Unique("restore");
        await using var pty = Start(24, 80, "/bin/sh", "-c", $"'{Repo.Wharf}' run -it --name {name} --network none busybox sh; echo code=$?; stty -a");
        await pty.WaitForAsync("# ");
        await pty.TypeAsync(keys);
        var m = await pty.WaitForAsync(@"code=(\d+)");
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups[1].Value);
        await pty.WaitForExitAsync();

        // stty -a after wharf: the terminal is cooked again (raw mode clears all of these).
        var modes = pty.Screen[m.Index..];
        foreach (var mode in new[] { "icanon", "echo", "isig", "icrnl", "opost" })
        {
            Assert.Matches(@"(^|\s)" + mode + @"(\s|$)", modes);
        }

        await D.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task WharfStartAiAttachesAndDetaches()
    {
        var name = Unique("startai");
        Assert.Equal(0, (await D.WharfAsync("create", "-it", "--name", name, "--network", "none", "busybox", "sh")).ExitCode);
        await using (var start = Start(25, 90, "wharf", "start", "-ai", name))
        {
            await start.WaitForAsync("# ");
            int mark = start.Screen.Length;
            await start.TypeAsync("stty size\r");
            await start.WaitForAsync(@"25 90\r\n", mark);
            await start.TypeAsync(DetachKeys);
            Assert.Equal(0, await start.WaitForExitAsync());
        }

        Assert.Equal("true", (await D.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout.Trim());
        await D.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task WharfRejectsBadDetachKeysBeforeCreating()
    {
        var name = Unique("badkeys");
        var r = await D.WharfAsync("run", "--detach-keys", "ctrl-P", "--name", name, "busybox", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("invalid detach keys (ctrl-P): Unknown character: 'ctrl-P'", r.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, (await D.DockerAsync("inspect", name)).ExitCode);
    }
}
