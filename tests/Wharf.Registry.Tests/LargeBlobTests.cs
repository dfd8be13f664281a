using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Wharf.Registry.Http;

namespace Wharf.Registry.Tests;

/// <summary>
/// Blob GETs from filesystem storage are sent in <see cref="FileBody.ChunkSize"/> pieces: whole
/// bodies and ranges across the piece boundaries must be exact, and the connection must stay
/// open for the next request (Kestrel closes it when a body falls short of Content-Length).
/// </summary>
public sealed class LargeBlobTests
{
    [Fact]
    public async Task BlobLargerThanOneChunkIsServedWholeAndInRangesOnOneConnection()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = new byte[(2 * FileBody.ChunkSize) + 12345];
        Random.Shared.NextBytes(data);
        var digest = await reg.PushBlobAsync("big/blob", data);

        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (ctx, ct) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(ctx.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = reg.BaseAddress };
        var url = $"/v2/big/blob/blobs/{digest}";

        using (var whole = await client.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(data.Length, whole.Content.Headers.ContentLength);
            Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        }
        var chunk = FileBody.ChunkSize;
        (long? From, long? To)[] ranges = [(chunk - 10, chunk + 10), (0, (2 * chunk) - 1), (2 * chunk, null), (null, chunk + 5)];
        foreach (var (from, to) in ranges)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(from, to);
            using var part = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            var first = from ?? (data.Length - to!.Value);
            var last = from is null ? data.Length - 1 : to ?? (data.Length - 1);
            var expected = data[(int)first..((int)last + 1)];
            Assert.Equal($"bytes {first}-{last}/{data.Length}", part.Content.Headers.ContentRange!.ToString());
            Assert.Equal(expected.Length, part.Content.Headers.ContentLength);
            Assert.Equal(expected, await part.Content.ReadAsByteArrayAsync());
        }
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(data.Length, head.Content.Headers.ContentLength);
        }
        Assert.Equal(1, connections);
    }
}
