using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

/// <summary>
/// ADD's downloader against a small HTTP server the test runs on 127.0.0.1: Docker's file
/// name, mode and time, and clear errors for bad status, oversize, stalls and redirect loops,
/// with nothing left in the target directory.
/// </summary>
public sealed class RemoteDownloaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-download-test-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public RemoteDownloaderTests() => _listener.Start();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Url(string path) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{path}";

    /// <summary>Answers every connection with what <paramref name="respond"/> writes for the request path.</summary>
    private void Serve(Func<string, Stream, CancellationToken, Task> respond)
    {
        _ = Task.Run(async () =>
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

                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var head = new StringBuilder();
                        var buf = new byte[1];
                        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buf, _stop.Token) == 1)
                        {
                            head.Append((char)buf[0]);
                        }

                        var path = head.ToString().Split(' ')[1];
                        try
                        {
                            await respond(path, stream, _stop.Token);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                        {
                        }
                    }
                });
            }
        });
    }

    private static Task WriteAsync(Stream s, string text, CancellationToken ct) => s.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

    [Fact]
    public async Task DownloadsWithDockersNameModeAndTime()
    {
        Serve((path, s, ct) => WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nLast-Modified: Thu, 02 Jan 2020 03:04:05 GMT\r\nConnection: close\r\n\r\npayload\n", ct));
        var (file, name, sha) = await new RemoteDownloader().DownloadAsync(Url("/dir/file.txt?x=1"), _dir, CancellationToken.None);
        Assert.Equal("file.txt", name);
        Assert.Equal("payload\n", await File.ReadAllTextAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), File.GetLastWriteTimeUtc(file));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("payload\n"u8)), sha);
    }

    [Fact]
    public void FileNameComesFromThePathThenContentDisposition()
    {
        Assert.Equal("a.tgz", RemoteDownloader.FileName(new Uri("http://h/x/a.tgz"), null));
        Assert.Equal("", RemoteDownloader.FileName(new Uri("http://h/x/"), null));
        Assert.Equal("", RemoteDownloader.FileName(new Uri("http://h"), null));
        Assert.Equal("given.bin", RemoteDownloader.FileName(new Uri("http://h/"), new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = "\"../given.bin\"" }));
    }

    [Fact]
    public async Task BadStatusOversizeStallAndRedirectLoopFailClearly()
    {
        Serve(async (path, s, ct) =>
        {
            switch (path)
            {
                case "/missing":
                    await WriteAsync(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope\n", ct);
                    break;
                case "/big":
                    await WriteAsync(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + new string('x', 5000), ct);
                    break;
                case "/big-declared":
                    await WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n", ct);
                    break;
                case "/stall":
                    await WriteAsync(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", ct);
                    await Task.Delay(Timeout.Infinite, ct);
                    break;
                default:
                    await WriteAsync(s, $"HTTP/1.1 302 Found\r\nLocation: {path}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct);
                    break;
            }
        });
        var d = new RemoteDownloader { MaxBytes = 1000, StallTimeout = TimeSpan.FromSeconds(2), MaxRedirects = 3 };

        var e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync(Url("/missing"), _dir, CancellationToken.None));
        Assert.True(e.Kind == ErrorKind.InvalidArgument && e.Message.Contains("status 404", StringComparison.Ordinal), e.Message);
        Assert.Equal($"ADD failed: failed to GET {Url("/missing")} with status 404 Not Found: nope\n", e.Message);

        e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync(Url("/big"), _dir, CancellationToken.None));
        Assert.Contains("larger than the limit of 1000 bytes", e.Message, StringComparison.Ordinal);
        e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync(Url("/big-declared"), _dir, CancellationToken.None));
        Assert.Contains("larger than the limit of 1000 bytes", e.Message, StringComparison.Ordinal);

        var started = DateTime.UtcNow;
        e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync(Url("/stall"), _dir, CancellationToken.None));
        Assert.Contains("no data received for 2 seconds", e.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));

        e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync(Url("/loop"), _dir, CancellationToken.None));
        Assert.Equal($"ADD failed: Get \"{Url("/loop")}\": stopped after 3 redirects", e.Message);

        e = await Assert.ThrowsAsync<WharfException>(() => d.DownloadAsync("ftp://127.0.0.1/x", _dir, CancellationToken.None));
        Assert.Contains("invalid URL", e.Message, StringComparison.Ordinal);

        // Nothing half-written stays behind.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }
}
