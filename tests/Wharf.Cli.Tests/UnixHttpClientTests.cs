using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Client;

namespace Wharf.Cli.Tests;

/// <summary>
/// The client's own HTTP/1.1 over a unix socket against a scripted server: the ways a body can
/// end (Content-Length, chunked, connection close), chunked uploads and error statuses.
/// </summary>
public sealed class UnixHttpClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-http-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SocketPath => Path.Combine(_dir, "s.sock");

    /// <summary>Serves each connection with the next answer; returns the requests it read (head and body).</summary>
    private Task<List<string>> ServeAsync(params string[] answers)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(8);
        return Task.Run(async () =>
        {
            var requests = new List<string>();
            using (listener)
            {
                foreach (var answer in answers)
                {
                    using var conn = await listener.AcceptAsync();
                    requests.Add(await ReadRequestAsync(conn));
                    await conn.SendAsync(Encoding.ASCII.GetBytes(answer), SocketFlags.None);
                    conn.Shutdown(SocketShutdown.Both);
                }
            }
            return requests;
        });
    }

    /// <summary>Reads the head, then a Content-Length body or chunks up to the last one.</summary>
    private static async Task<string> ReadRequestAsync(Socket conn)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            string s = text.ToString();
            int end = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var head = s[..end];
                if (head.Contains("Transfer-Encoding: chunked", StringComparison.Ordinal) ? s.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
                    : head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal)) is not { } cl || s.Length - end - 4 >= int.Parse(cl[16..], System.Globalization.CultureInfo.InvariantCulture))
                {
                    return s;
                }
            }
            int n = await conn.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                return text.ToString();
            }
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    private WharfClient Client() => new(DaemonHost.Parse("unix://" + SocketPath), "1.47");

    [Fact]
    public async Task ReadsContentLengthChunkedAndUntilCloseBodies()
    {
        var server = ServeAsync(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"Version\":1}",
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[1,2,\r\na;ext=1\r\n3,4,5,6,7]\r\n0\r\nTrailer: x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n\"all of it\"");
        using var client = Client();

        Assert.Equal(1, (await client.GetJsonAsync("/version", null, CancellationToken.None))!["Version"]!.GetValue<int>());
        Assert.Equal("[1,2,3,4,5,6,7]", (await client.GetJsonAsync("/list", null, CancellationToken.None))!.ToJsonString());
        Assert.Equal("all of it", (await client.GetJsonAsync("/close", null, CancellationToken.None))!.GetValue<string>());

        var requests = await server;
        Assert.StartsWith("GET /v1.47/version HTTP/1.1\r\n", requests[0], StringComparison.Ordinal);
        Assert.Contains("\r\nUser-Agent: Wharf-Client/0.1\r\n", requests[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsJsonWithLengthAndStreamsChunked()
    {
        var server = ServeAsync(
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"Id\":\"ab\"}",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        using var client = Client();

        var created = await client.PostJsonAsync("/containers/create", new QueryBuilder().Add("name", "x y"), new System.Text.Json.Nodes.JsonObject { ["Image"] = "busybox" }, CancellationToken.None);
        Assert.Equal("ab", created!["Id"]!.GetValue<string>());

        using var upload = new NonSeekable(Encoding.ASCII.GetBytes("tar bytes"));
        var (response, body) = await client.OpenStreamAsync(HttpMethod.Post, "/images/load", null, WharfClient.StreamContent(upload, "application/x-tar"), CancellationToken.None);
        using (response)
        {
            Assert.Equal(-1, body.ReadByte());
        }

        var requests = await server;
        Assert.StartsWith("POST /v1.47/containers/create?name=x%20y HTTP/1.1\r\n", requests[0], StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 19\r\n", requests[0], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{\"Image\":\"busybox\"}", requests[0], StringComparison.Ordinal);
        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", requests[1], StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/x-tar\r\n", requests[1], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n9\r\ntar bytes\r\n0\r\n\r\n", requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorStatusCarriesTheDaemonsMessage()
    {
        var server = ServeAsync("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 36\r\n\r\n{\"message\":\"No such object: nosuch\"}");
        using var client = Client();
        var e = await Assert.ThrowsAsync<DaemonErrorException>(() => client.GetJsonAsync("/containers/nosuch/json", null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("No such object: nosuch", e.Message);
        await server;
    }

    [Fact]
    public async Task NoDaemonIsUnreachable()
    {
        using var negotiating = new WharfClient(DaemonHost.Parse("unix://" + SocketPath));
        await Assert.ThrowsAsync<DaemonUnreachableException>(() => negotiating.GetJsonAsync("/version", null, CancellationToken.None));
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
