using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Integration.Tests;

/// <summary>One answer of <see cref="LoopbackHttpServer"/>: status line text, extra header lines and the body.</summary>
internal sealed record HttpAnswer(string Status, byte[] Body, params string[] Headers);

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for tests that make wharfd download something (ADD URLs,
/// remote build contexts): one request per connection, the answer picked by path. No traffic
/// leaves the machine.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, HttpAnswer> _answer;
    private readonly Task _serving;

    public LoopbackHttpServer(Func<string, HttpAnswer> answer)
    {
        _answer = answer;
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    public static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buf = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buf, _stop.Token) == 1)
                {
                    head.Append((char)buf[0]);
                }

                var answer = _answer(head.ToString().Split(' ')[1]);
                var header = new StringBuilder($"HTTP/1.1 {answer.Status}\r\n");
                foreach (var h in answer.Headers)
                {
                    header.Append(h).Append("\r\n");
                }

                header.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {answer.Body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header.ToString()), _stop.Token);
                await stream.WriteAsync(answer.Body, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
