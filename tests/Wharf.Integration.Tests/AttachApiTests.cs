using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Attach at the API level against a real wharfd: the websocket endpoint, detach keys watched by
/// the daemon, Docker's 400 for bad keys, StdinOnce with a tty, and HostConfig.ConsoleSize.
/// </summary>
public sealed class AttachApiTests(AttachFixture fixture) : IClassFixture<AttachFixture>
{
    private WharfDaemon D => fixture.Daemon;

    private async Task<string> RunAsync(JsonObject config)
    {
        config["Image"] = "busybox";
        config["HostConfig"] ??= new JsonObject();
        config["HostConfig"]!["NetworkMode"] = "none";
        var (status, body) = await D.SendAsync(HttpMethod.Post, "/containers/create", new StringContent(config.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(status == 201, body);
        var id = JsonNode.Parse(body)!["Id"]!.GetValue<string>();
        (status, body) = await D.SendAsync(HttpMethod.Post, $"/containers/{id}/start");
        Assert.True(status == 204, body);
        return id;
    }

    private async Task<bool> RunningAsync(string id) => (await D.GetJsonAsync($"/containers/{id}/json"))["State"]!["Running"]!.GetValue<bool>();

    private async Task RemoveAsync(string id) => await D.SendAsync(HttpMethod.Delete, $"/containers/{id}?force=1");

    private async Task<ClientWebSocket> ConnectWebSocketAsync(string pathAndQuery)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(D.Socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        var ws = new ClientWebSocket();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ws.ConnectAsync(new Uri("ws://localhost" + pathAndQuery), new HttpMessageInvoker(handler), cts.Token);
        return ws;
    }

    /// <summary>Receives messages until their concatenated text contains <paramref name="expected"/>.</summary>
    private static async Task<(string Text, List<WebSocketMessageType> Types)> ReceiveUntilAsync(ClientWebSocket ws, string expected)
    {
        var text = new StringBuilder();
        var types = new List<WebSocketMessageType>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var r = await ws.ReceiveAsync(buffer, cts.Token);
            Assert.True(r.MessageType != WebSocketMessageType.Close, $"closed before \"{expected}\"; got: {text}");
            types.Add(r.MessageType);
            text.Append(Encoding.Latin1.GetString(buffer, 0, r.Count));
        }

        return (text.ToString(), types);
    }

    /// <summary>Reads until the server's close frame; fails if it does not come.</summary>
    private static async Task<string> ReceiveUntilClosedAsync(ClientWebSocket ws)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
                return text.ToString();
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, r.Count));
        }
    }

    private static Task SendAsync(ClientWebSocket ws, string text) =>
        ws.SendAsync(Encoding.Latin1.GetBytes(text), WebSocketMessageType.Binary, true, CancellationToken.None);

    [Fact]
    public async Task WebSocketAttachWithATtyRelaysBothWaysAndDetaches()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Tty"] = true, ["OpenStdin"] = true, ["HostConfig"] = new JsonObject { ["ConsoleSize"] = new JsonArray(20, 70) } });
        try
        {
            using var ws = await ConnectWebSocketAsync($"/v1.47/containers/{id}/attach/ws?stdin=1&stdout=1&stderr=1&stream=1");
            await SendAsync(ws, "stty size; echo ws-$((2+3))\r");
            var (text, types) = await ReceiveUntilAsync(ws, "ws-5\r\n");
            Assert.Contains("20 70\r\n", text, StringComparison.Ordinal);
            Assert.All(types, t => Assert.Equal(WebSocketMessageType.Binary, t));

            // The daemon watches the tty's input for ctrl-p ctrl-q, ends the session, and the container runs on.
            await SendAsync(ws, "\u0010");
            await SendAsync(ws, "\u0011echo not-sent\r");
            var rest = await ReceiveUntilClosedAsync(ws);
            Assert.DoesNotContain("not-sent", rest, StringComparison.Ordinal);
            Assert.True(await RunningAsync(id));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task WebSocketAttachWithoutATtySendsBarePayloadsAndReplaysLogs()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sh", "-c", "echo logged; echo err-line >&2; exec cat"), ["OpenStdin"] = true });
        try
        {
            // Wait for the first lines to be in the log.
            for (int i = 0; i < 100 && !(await D.SendAsync(HttpMethod.Get, $"/containers/{id}/logs?stdout=1&stderr=1")).Body.Contains("err-line", StringComparison.Ordinal); i++)
            {
                await Task.Delay(50);
            }

            using var ws = await ConnectWebSocketAsync($"/containers/{id}/attach/ws?logs=1&stream=1&stdin=1&stdout=1&stderr=1");
            var (text, _) = await ReceiveUntilAsync(ws, "err-line\n");
            Assert.Equal("logged\nerr-line\n", text);
            await SendAsync(ws, "ping\n");
            (text, _) = await ReceiveUntilAsync(ws, "ping\n");
            Assert.Equal("ping\n", text);

            // The client's close ends its session (the container was not created StdinOnce): cat runs on.
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await ReceiveUntilClosedAsync(ws);
            Assert.True(await RunningAsync(id));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task OldApiWebSocketUsesTextFramesAndAttachesEveryStream()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sh", "-c", "read line; echo got-$line; echo to-stderr >&2; sleep 300"), ["OpenStdin"] = true });
        try
        {
            // Before 1.42 the stream selection is ignored: stdin and both outputs are attached.
            using var ws = await ConnectWebSocketAsync($"/v1.27/containers/{id}/attach/ws?stream=1");
            await ws.SendAsync("x\n"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            var (text, types) = await ReceiveUntilAsync(ws, "to-stderr\n");
            Assert.Equal("got-x\nto-stderr\n", text);
            Assert.All(types, t => Assert.Equal(WebSocketMessageType.Text, t));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task BadDetachKeysAreDockers400()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sleep", "300"), ["Tty"] = true, ["OpenStdin"] = true });
        try
        {
            using (var r = await D.Client.PostAsync($"/v1.47/containers/{id}/attach?stream=1&stdout=1&detachKeys=foo", null))
            {
                Assert.Equal(400, (int)r.StatusCode);
                Assert.Equal("application/vnd.docker.raw-stream", r.Content.Headers.ContentType?.MediaType);
                Assert.Equal("Invalid detach keys (foo) provided\r\n", await r.Content.ReadAsStringAsync());
            }

            // The keys are checked before the container, as dockerd does.
            using (var r = await D.Client.PostAsync("/v1.47/containers/no-such-container/attach?stream=1&stdout=1&detachKeys=ctrl-",  null))
            {
                Assert.Equal(400, (int)r.StatusCode);
                Assert.Equal("Invalid detach keys (ctrl-) provided\r\n", await r.Content.ReadAsStringAsync());
            }

            using (var r = await D.Client.PostAsync("/v1.47/containers/no-such-container/attach?stream=1&stdout=1", null))
            {
                Assert.Equal(404, (int)r.StatusCode);
                Assert.Equal("No such container: no-such-container\r\n", await r.Content.ReadAsStringAsync());
            }

            var (status, body) = await D.SendAsync(HttpMethod.Get, $"/v1.47/containers/{id}/attach/ws?stream=1&detachKeys=ctrl-p,,");
            Assert.Equal(400, status);
            Assert.Equal("Invalid detach keys (ctrl-p,,) provided", JsonNode.Parse(body)!["message"]!.GetValue<string>());

            (status, body) = await D.SendAsync(HttpMethod.Get, $"/v1.47/containers/{id}/attach/ws?stream=1");
            Assert.Equal(400, status);
            Assert.Contains("not websocket protocol", body, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    /// <summary>A hijacked attach as the docker CLI makes it, over a raw socket.</summary>
    private async Task<Socket> HijackAsync(string pathAndQuery)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await s.ConnectAsync(new UnixDomainSocketEndPoint(D.Socket));
        await s.SendAsync(Encoding.ASCII.GetBytes($"POST {pathAndQuery} HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        var head = await ReadUntilAsync(s, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        return s;
    }

    private static async Task<string> ReadUntilAsync(Socket s, string expected)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            Assert.True(await s.ReceiveAsync(one, cts.Token) == 1, $"connection closed before \"{expected}\": {text}");
            text.Append((char)one[0]);
        }

        return text.ToString();
    }

    private static async Task<string> ReadToEndAsync(Socket s)
    {
        var all = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int n;
        while ((n = await s.ReceiveAsync(buffer, cts.Token)) > 0)
        {
            all.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return Encoding.Latin1.GetString([.. all]);
    }

    /// <summary>The container's attach and detach events so far, waiting up to 5 s for <paramref name="expected"/> of them.</summary>
    private async Task<List<string>> AttachEventsAsync(string id, int expected)
    {
        var filters = Uri.EscapeDataString($$"""{"container":["{{id}}"],"event":["attach","detach"]}""");
        var actions = new List<string>();
        for (var i = 0; i < 50 && actions.Count < expected; i++)
        {
            await Task.Delay(i == 0 ? 0 : 100);
            var until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
            var (status, body) = await D.SendAsync(HttpMethod.Get, $"/v1.47/events?since=0&until={until}&filters={filters}");
            Assert.Equal(200, status);
            actions = [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["Action"]!.GetValue<string>())];
        }

        return actions;
    }

    [Fact]
    public async Task DaemonWatchesCustomDetachKeysOnAHijackedTtyAttach()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Tty"] = true, ["OpenStdin"] = true });
        try
        {
            using var s = await HijackAsync($"/v1.47/containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1&detachKeys=q,z");
            // "q" then "x" is not the sequence: both reach the shell.
            await s.SendAsync(Encoding.Latin1.GetBytes("echo hj-$((3*3))-qx\r"));
            await ReadUntilAsync(s, "hj-9-qx\r\n");
            await s.SendAsync(Encoding.Latin1.GetBytes("echo after-q"));
            await s.SendAsync(Encoding.Latin1.GetBytes("z\r"));
            var rest = await ReadToEndAsync(s);
            Assert.DoesNotContain("after-q", rest, StringComparison.Ordinal);
            Assert.True(await RunningAsync(id));

            // As dockerd: an "attach" event for the session and a "detach" one for the keys.
            Assert.Equal(["attach", "detach"], await AttachEventsAsync(id, expected: 2));
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task TtyStdinOnceContainerOutlivesItsClientsEof()
    {
        // What docker run -it creates: a client that goes away (detach, closed terminal) must not end the shell.
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Tty"] = true, ["OpenStdin"] = true, ["StdinOnce"] = true, ["AttachStdin"] = true });
        try
        {
            using (var s = await HijackAsync($"/v1.47/containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1"))
            {
                await s.SendAsync(Encoding.Latin1.GetBytes("echo first-$((1+1))\r"));
                await ReadUntilAsync(s, "first-2");
                s.Shutdown(SocketShutdown.Send);
                await ReadToEndAsync(s);
            }

            await Task.Delay(500);
            Assert.True(await RunningAsync(id));
            using (var s = await HijackAsync($"/v1.47/containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1"))
            {
                await s.SendAsync(Encoding.Latin1.GetBytes("echo second-$((1+2))\r"));
                await ReadUntilAsync(s, "second-3");
                await s.SendAsync(Encoding.Latin1.GetBytes("exit 4\r"));
                await ReadToEndAsync(s);
            }

            var exit = await D.GetJsonAsync($"/containers/{id}/json");
            for (int i = 0; i < 100 && exit["State"]!["Running"]!.GetValue<bool>(); i++)
            {
                await Task.Delay(50);
                exit = await D.GetJsonAsync($"/containers/{id}/json");
            }

            Assert.Equal(4, exit["State"]!["ExitCode"]!.GetValue<int>());
        }
        finally
        {
            await RemoveAsync(id);
        }
    }

    [Fact]
    public async Task ConsoleSizeIsSetBeforeTheProcessStarts()
    {
        var id = await RunAsync(new JsonObject { ["Cmd"] = new JsonArray("stty", "size"), ["Tty"] = true, ["HostConfig"] = new JsonObject { ["ConsoleSize"] = new JsonArray(17, 63) } });
        try
        {
            var (status, body) = await D.SendAsync(HttpMethod.Post, $"/containers/{id}/wait");
            Assert.True(status == 200, body);
            (_, body) = await D.SendAsync(HttpMethod.Get, $"/containers/{id}/logs?stdout=1");
            Assert.Equal("17 63\r\n", body);
        }
        finally
        {
            await RemoveAsync(id);
        }
    }
}
