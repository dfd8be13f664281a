using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>docker exec (the real CLI) and the exec API against a real wharfd, compared with what dockerd does.</summary>
public sealed class ExecTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("exec"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private async Task<string> RunningAsync(string name, params string[] extra)
    {
        var r = await _d.DockerAsync(["run", "-d", "--name", name, .. extra, "busybox", "sleep", "300"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return r.Stdout.Trim();
    }

    [Fact]
    public async Task ExecReturnsTheExitCodeKeepsStreamsApartAndStaysOutOfTheLog()
    {
        await RunningAsync("ex1");
        var r = await _d.DockerAsync("exec", "ex1", "sh", "-c", "echo a; echo b >&2; exit 5");
        Assert.Equal(5, r.ExitCode);
        Assert.Equal("a\n", r.Stdout);
        Assert.Equal("b\n", r.Stderr);

        var ok = await _d.DockerAsync("exec", "ex1", "true");
        Assert.Equal(0, ok.ExitCode);
        var logs = await _d.DockerAsync("logs", "ex1");
        Assert.Equal("", logs.Stdout + logs.Stderr);
    }

    [Fact]
    public async Task InteractiveExecGetsStdinUntilEof()
    {
        await RunningAsync("ex2");
        var input = Path.Combine(_d.Dir, "in.txt");
        await File.WriteAllTextAsync(input, "line one\nline two\n");
        var r = await _d.DockerWithStdinAsync(input, "exec", "-i", "ex2", "sh", "-c", "cat; echo done");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("line one\nline two\ndone\n", r.Stdout);
    }

    [Fact]
    public async Task EnvWorkdirAndUserApplyAndUsersResolveInTheContainer()
    {
        await RunningAsync("ex3", "-e", "FROM_RUN=1");
        var r = await _d.DockerAsync("exec", "-e", "FOO=bar", "-w", "/tmp", "-u", "nobody", "ex3", "sh", "-c", "echo $FOO $FROM_RUN; pwd; id -u; id -g; echo $HOME");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("bar 1\n/tmp\n65534\n65534\n/home\n", r.Stdout);

        var numeric = await _d.DockerAsync("exec", "-u", "1234:5678", "ex3", "sh", "-c", "id -u; id -g");
        Assert.Equal("1234\n5678\n", numeric.Stdout);

        var unknown = await _d.DockerAsync("exec", "-u", "nosuchuser", "ex3", "id");
        Assert.Equal(126, unknown.ExitCode);
        Assert.Contains("unable to find user nosuchuser: no matching entries in passwd file", unknown.Stdout + unknown.Stderr, StringComparison.Ordinal);

        // The exec runs with the container's capabilities (Docker's default set), not more.
        var caps = await _d.DockerAsync("exec", "ex3", "grep", "CapEff", "/proc/self/status");
        Assert.Contains("00000000a80425fb", caps.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingOrUnrunnableCommandsFailLikeDocker()
    {
        await RunningAsync("ex4");
        var missing = await _d.DockerAsync("exec", "ex4", "no-such-cmd");
        Assert.Equal(127, missing.ExitCode);
        Assert.Equal("OCI runtime exec failed: exec failed: unable to start container process: exec: \"no-such-cmd\": executable file not found in $PATH: unknown\r\n", missing.Stdout);

        var notExecutable = await _d.DockerAsync("exec", "ex4", "/etc/passwd");
        Assert.Equal(126, notExecutable.ExitCode);
        Assert.Contains("permission denied", notExecutable.Stdout, StringComparison.Ordinal);

        var badDir = await _d.DockerAsync("exec", "-w", "/no/such/dir", "ex4", "pwd");
        Assert.Equal(127, badDir.ExitCode);
        Assert.Contains("chdir to cwd (\"/no/such/dir\") set in config.json failed: no such file or directory", badDir.Stdout, StringComparison.Ordinal);

        // Detached: the failure is the start request's own error.
        var detached = await _d.DockerAsync("exec", "-d", "ex4", "no-such-cmd");
        Assert.Equal(1, detached.ExitCode);
        Assert.Contains("Error response from daemon: OCI runtime exec failed", detached.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetachedExecIsListedInspectableAndEndsWithTheContainer()
    {
        var id = await RunningAsync("ex5");
        var d = await _d.DockerAsync("exec", "-d", "ex5", "sleep", "200");
        Assert.True(d.ExitCode == 0, d.Stderr);
        Assert.Equal("", d.Stdout);

        var inspect = await _d.GetJsonAsync("/containers/ex5/json");
        var execIds = inspect["ExecIDs"]!.AsArray();
        Assert.Single(execIds);
        var execId = execIds[0]!.GetValue<string>();
        var running = await _d.GetJsonAsync($"/exec/{execId}/json");
        Assert.True(running["Running"]!.GetValue<bool>());
        Assert.Null(running["ExitCode"]);
        Assert.True(running["Pid"]!.GetValue<int>() > 0);
        Assert.Equal(id, running["ContainerID"]!.GetValue<string>());
        Assert.Equal("sleep", running["ProcessConfig"]!["entrypoint"]!.GetValue<string>());
        // dockerd leaves "user" out when neither the exec nor the container sets one.
        Assert.False(running["ProcessConfig"]!.AsObject().ContainsKey("user"));

        Assert.Equal(0, (await _d.DockerAsync("stop", "-t", "0", "ex5")).ExitCode);
        var after = await _d.GetJsonAsync($"/exec/{execId}/json");
        Assert.False(after["Running"]!.GetValue<bool>());
        Assert.Equal(137, after["ExitCode"]!.GetValue<int>());
        Assert.Null((await _d.GetJsonAsync("/containers/ex5/json"))["ExecIDs"]);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_d.Dir, "exec", "containers")));

        Assert.Equal(0, (await _d.DockerAsync("rm", "ex5")).ExitCode);
        var (status, body) = await _d.SendAsync(HttpMethod.Get, $"/exec/{execId}/json");
        Assert.Equal(404, status);
        Assert.Contains("No such exec instance: " + execId, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecApiAnswersDockersErrorsAndShapes()
    {
        // A container user, so the exec inherits it as in the golden recording ("user": "1000:1000").
        var id = await RunningAsync("ex6", "-u", "1000:1000");
        var (noCmd, noCmdBody) = await PostAsync("/containers/ex6/exec", new JsonObject { ["Cmd"] = new JsonArray() });
        Assert.Equal(400, noCmd);
        Assert.Equal("No exec command specified", Message(noCmdBody));

        var (missing, missingBody) = await PostAsync("/containers/nosuch/exec", new JsonObject { ["Cmd"] = new JsonArray("true") });
        Assert.Equal(404, missing);
        Assert.Equal("No such container: nosuch", Message(missingBody));

        var (startMissing, startMissingBody) = await PostAsync("/exec/nosuchexec/start", new JsonObject { ["Detach"] = true });
        Assert.Equal(404, startMissing);
        Assert.Equal("No such exec instance: nosuchexec", Message(startMissingBody));

        var (created, createdBody) = await PostAsync("/containers/ex6/exec", JsonNode.Parse(await File.ReadAllTextAsync(Repo.Golden("containers/exec-create-request.json")))!);
        Assert.Equal(201, created);
        var execId = JsonNode.Parse(createdBody)!["Id"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{64}$", execId);
        var before = await _d.GetJsonAsync($"/exec/{execId}/json");
        Assert.Empty(JsonShape.Differences(JsonNode.Parse(await File.ReadAllTextAsync(Repo.Golden("containers/exec-inspect-created.json"))), before));
        Assert.Null(before["ExitCode"]);
        Assert.Equal(0, before["Pid"]!.GetValue<int>());
        Assert.Equal("1000:1000", before["ProcessConfig"]!["user"]!.GetValue<string>());

        var (started, startedBody) = await PostAsync($"/exec/{execId}/start", new JsonObject { ["Detach"] = true });
        Assert.Equal(200, started);
        Assert.Equal("", startedBody);
        JsonNode exited = before;
        for (var i = 0; i < 100 && exited["ExitCode"] is null; i++)
        {
            await Task.Delay(50);
            exited = await _d.GetJsonAsync($"/exec/{execId}/json");
        }
        Assert.Equal(7, exited["ExitCode"]!.GetValue<int>());
        Assert.Empty(JsonShape.Differences(JsonNode.Parse(await File.ReadAllTextAsync(Repo.Golden("containers/exec-inspect-exited.json"))), exited));

        var (again, againBody) = await PostAsync($"/exec/{execId}/start", new JsonObject { ["Detach"] = true });
        Assert.Equal(409, again);
        Assert.Equal($"Error: Exec command {execId} has already run", Message(againBody));

        Assert.Equal(0, (await _d.DockerAsync("pause", "ex6")).ExitCode);
        var (paused, pausedBody) = await PostAsync("/containers/ex6/exec", new JsonObject { ["Cmd"] = new JsonArray("true") });
        Assert.Equal(409, paused);
        Assert.Equal("Container ex6 is paused, unpause the container before exec", Message(pausedBody));
        Assert.Equal(0, (await _d.DockerAsync("unpause", "ex6")).ExitCode);

        Assert.Equal(0, (await _d.DockerAsync("kill", "ex6")).ExitCode);
        await _d.DockerAsync("wait", "ex6");
        var (stopped, stoppedBody) = await PostAsync("/containers/ex6/exec", new JsonObject { ["Cmd"] = new JsonArray("true") });
        Assert.Equal(409, stopped);
        Assert.Equal($"Container {id} is not running", Message(stoppedBody));
        var cli = await _d.DockerAsync("exec", "ex6", "true");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains($"Container {id} is not running", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecWithTtyRunsInAPseudoTerminal()
    {
        await RunningAsync("ex7");
        var command = $"DOCKER_HOST={_d.Host} DOCKER_CONFIG={_d.Dir}/docker-config /usr/local/bin/docker exec -it ex7 sh -c 'tty; echo $TERM; exit 3'";
        var r = await ProcessRunner.RunAsync("script", ["-qec", command, "/dev/null"], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("/dev/pts/", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("xterm", r.Stdout, StringComparison.Ordinal);

        var notTty = await _d.DockerAsync("exec", "ex7", "sh", "-c", "tty; echo term=$TERM");
        Assert.Equal("not a tty\nterm=\n", notTty.Stdout);
    }

    [Fact]
    public async Task DetachKeysLeaveATtySessionRunning()
    {
        await RunningAsync("ex9");
        // A real terminal (python's pty) drives docker exec -it; ctrl-p ctrl-q detaches.
        const string Driver = """
            import os, pty, sys, time, select
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], [sys.argv[1], "exec", "-it", "ex9", "sh"])
            def read_until(marker, timeout):
                out, end = b"", time.time() + timeout
                while time.time() < end and marker not in out:
                    r, _, _ = select.select([fd], [], [], 0.2)
                    if r:
                        try: out += os.read(fd, 4096)
                        except OSError: break
                return out
            read_until(b"#", 20)
            os.write(fd, b"echo mark$((40+2))\n")
            got = read_until(b"mark42", 20)
            os.write(fd, b"\x10\x11")
            end = time.time() + 20
            while time.time() < end:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    print("exited", b"mark42" in got)
                    sys.exit(0)
                read_until(b"\x00", 0.2)
            print("still attached")
            os.kill(pid, 9)
            """;
        var script = Path.Combine(_d.Dir, "detach.py");
        await File.WriteAllTextAsync(script, Driver);
        var r = await ProcessRunner.RunAsync("python3", [script, "/usr/local/bin/docker"], _d.DockerEnv, timeout: TimeSpan.FromSeconds(60));
        // The docker CLI spots the keys itself and leaves (exit status 1, as against dockerd); the exec runs on.
        Assert.Equal("exited True", r.Stdout.Trim());
        var execIds = (await _d.GetJsonAsync("/containers/ex9/json"))["ExecIDs"]!.AsArray();
        Assert.Single(execIds);
        Assert.True((await _d.GetJsonAsync($"/exec/{execIds[0]!.GetValue<string>()}/json"))["Running"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DaemonDetachesARawHijackedTtySessionOnItsKeys()
    {
        await RunningAsync("ex10");
        var (_, createdBody) = await PostAsync("/containers/ex10/exec", new JsonObject
        {
            ["AttachStdin"] = true, ["AttachStdout"] = true, ["Tty"] = true, ["DetachKeys"] = "ctrl-x,x", ["Cmd"] = new JsonArray("sh"),
        });
        var execId = JsonNode.Parse(createdBody)!["Id"]!.GetValue<string>();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(_d.Socket));
        var body = "{\"Detach\":false,\"Tty\":true}";
        var head = $"POST /v1.47/exec/{execId}/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n{body}";
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        async Task<bool> ReadUntilAsync(string marker)
        {
            while (!received.ToString().Contains(marker, StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return false;
                }
                received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
            }
            return true;
        }

        Assert.True(await ReadUntilAsync("\r\n\r\n"), received.ToString());
        Assert.StartsWith("HTTP/1.1 101", received.ToString(), StringComparison.Ordinal);
        await socket.SendAsync("echo mark$((40+2))\n"u8.ToArray());
        Assert.True(await ReadUntilAsync("mark42"), received.ToString());
        await socket.SendAsync("\u0018x"u8.ToArray());
        Assert.False(await ReadUntilAsync("never printed"));
        var exec = await _d.GetJsonAsync($"/exec/{execId}/json");
        Assert.True(exec["Running"]!.GetValue<bool>());
        Assert.Equal("\u0018x", exec["DetachKeys"]!.GetValue<string>());
    }

    [Fact]
    public async Task WharfExecPropagatesExitCodesStdinAndDetach()
    {
        await RunningAsync("ex8");
        var r = await _d.WharfAsync("exec", "ex8", "sh", "-c", "echo out; echo err >&2; exit 9");
        Assert.Equal(9, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
        Assert.Equal("err\n", r.Stderr);

        var input = Path.Combine(_d.Dir, "w.txt");
        await File.WriteAllTextAsync(input, "through wharf\n");
        var cat = await _d.WharfWithStdinAsync(input, "exec", "-i", "-e", "X=y", "-w", "/tmp", "ex8", "sh", "-c", "cat; echo $X; pwd");
        Assert.True(cat.ExitCode == 0, cat.Stderr);
        Assert.Equal("through wharf\ny\n/tmp\n", cat.Stdout);

        var missing = await _d.WharfAsync("exec", "ex8", "no-such-cmd");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("executable file not found in $PATH", missing.Stdout, StringComparison.Ordinal);

        var d = await _d.WharfAsync("exec", "-d", "ex8", "sh", "-c", "echo bg > /tmp/bg");
        Assert.Equal(0, d.ExitCode);
        for (var i = 0; i < 50 && (await _d.DockerAsync("exec", "ex8", "cat", "/tmp/bg")).Stdout != "bg\n"; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal("bg\n", (await _d.DockerAsync("exec", "ex8", "cat", "/tmp/bg")).Stdout);

        var noCtr = await _d.WharfAsync("exec", "nosuch", "true");
        Assert.Equal(1, noCtr.ExitCode);
        Assert.Equal("Error response from daemon: No such container: nosuch", noCtr.Stderr.Trim());
    }

    private async Task<(int Status, string Body)> PostAsync(string path, JsonNode body)
        => await _d.SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    private static string Message(string body) => JsonNode.Parse(body)!["message"]!.GetValue<string>();
}
