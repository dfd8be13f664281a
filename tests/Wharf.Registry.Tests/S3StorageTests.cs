using System.Net;
using System.Security.Cryptography;
using System.Text;
using Wharf.Oci;
using Wharf.Registry.Config;
using Wharf.Registry.Errors;
using Wharf.Registry.Gc;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>
/// What only the S3 backend has: multipart uploads with a tail, resumption after a broken
/// request and after a restart (no running hash), verification by reading back, the part-wise
/// copy of large blobs, purging, and a whole registry (HTTP API and gc) over a moto bucket.
/// </summary>
public sealed class S3StorageTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private const int Part = S3Settings.MinPartSize;

    internal static S3Storage Open(MotoFixture moto, string prefix, long? singleCopyLimit = null)
    {
        var client = MotoFixture.Client(moto.Moto.Endpoint, moto.Bucket, prefix);
        return singleCopyLimit is { } limit
            ? new S3Storage(client, TimeProvider.System) { SingleCopyLimit = limit, CopyPartSize = Part }
            : new S3Storage(client, TimeProvider.System);
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }

    /// <summary>Delivers some bytes, then fails as a dropped connection does.</summary>
    private sealed class BreakingStream(byte[] data) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _pos; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_pos >= data.Length)
            {
                throw new IOException("connection reset by peer");
            }
            var n = Math.Min(buffer.Length, data.Length - _pos);
            data.AsSpan(_pos, n).CopyTo(buffer.Span);
            _pos += n;
            return ValueTask.FromResult(n);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task ChunkedUploadSpanningPartsResumesAfterABreakAndARestart()
    {
        var ct = CancellationToken.None;
        var prefix = "chunked-" + Guid.NewGuid().ToString("N")[..8];
        var data = RandomBytes((2 * Part) + 12345);
        var digest = Digest.ComputeSha256(data);
        string id;
        using (var s = Open(moto, prefix))
        {
            var session = await s.StartAsync("big/app", ct);
            id = session.Id;
            Assert.Equal(3_000_000, await s.AppendAsync(id, 0, new MemoryStream(data, 0, 3_000_000), ct));
            // Crosses the first part boundary: a part is sent, the rest becomes the tail.
            Assert.Equal(7_000_000, await s.AppendAsync(id, 3_000_000, new MemoryStream(data, 3_000_000, 4_000_000), ct));
            var wrong = await Assert.ThrowsAsync<RegistryException>(() => s.AppendAsync(id, 6_999_999, new MemoryStream(data, 0, 1), ct));
            Assert.Equal(RegistryErrorKind.UploadRangeInvalid, wrong.Kind);
            // The connection drops after 1 MB: those bytes stay in the session.
            await Assert.ThrowsAsync<IOException>(() => s.AppendAsync(id, 7_000_000, new BreakingStream(data[7_000_000..8_000_000]), ct));
            Assert.Equal(8_000_000, (await s.GetAsync(id, ct))!.Size);
            Assert.Null(await s.StatAsync(digest, ct));
            await foreach (var _ in s.ListAsync(ct))
            {
                Assert.Fail("no blob may exist before the commit");
            }
        }

        // A new process: no running hash, the commit reads the assembled object back to verify it.
        using (var s = Open(moto, prefix))
        {
            Assert.Equal("big/app", (await s.GetAsync(id, ct))!.Repository);
            Assert.Equal(data.Length, await s.AppendAsync(id, 8_000_000, new MemoryStream(data, 8_000_000, data.Length - 8_000_000), ct));
            Assert.Equal(data.Length, await s.CommitAsync(id, digest, ct));
            Assert.Equal(data.Length, (await s.StatAsync(digest, ct))!.Size);
            Assert.Null((await s.StatAsync(digest, ct))!.LocalPath);
            var stream = (await s.OpenReadAsync(digest, ct))!;
            await using (stream)
            {
                stream.Seek(6_000_000, SeekOrigin.Begin);
                var rest = new MemoryStream();
                await stream.CopyToAsync(rest, ct);
                Assert.True(data.AsSpan(6_000_000).SequenceEqual(rest.ToArray()));
            }
            Assert.Null(await s.GetAsync(id, ct));
        }
        Assert.Empty(await moto.Moto.KeysAsync(moto.Bucket, prefix + "/uploads/"));
        Assert.Equal([$"{prefix}/blobs/sha256/{digest.Hex[..2]}/{digest.Hex}"], await moto.Moto.KeysAsync(moto.Bucket, prefix + "/"));
    }

    [Fact]
    public async Task AMismatchedMultipartUploadLeavesNothing()
    {
        var ct = CancellationToken.None;
        var prefix = "mismatch-" + Guid.NewGuid().ToString("N")[..8];
        using var s = Open(moto, prefix);
        var data = RandomBytes(Part + 100);
        var session = await s.StartAsync("x", ct);
        await s.AppendAsync(session.Id, null, new MemoryStream(data), ct);
        var claimed = Digest.ComputeSha256(data.AsSpan(1));
        var e = await Assert.ThrowsAsync<RegistryException>(() => s.CommitAsync(session.Id, claimed, ct));
        Assert.Equal(RegistryErrorKind.DigestInvalid, e.Kind);
        Assert.Null(await s.StatAsync(claimed, ct));
        Assert.Null(await s.StatAsync(Digest.ComputeSha256(data), ct));
        Assert.Null(await s.GetAsync(session.Id, ct));
        Assert.Empty(await moto.Moto.KeysAsync(moto.Bucket, prefix + "/"));
    }

    [Fact]
    public async Task Sha512AndLargeBlobsCopiedPartByPart()
    {
        var ct = CancellationToken.None;
        var prefix = "copy-" + Guid.NewGuid().ToString("N")[..8];
        using var s = Open(moto, prefix, singleCopyLimit: Part + 1);
        var data = RandomBytes((2 * Part) + 7);
        var digest = Digest.Parse("sha512:" + Convert.ToHexStringLower(SHA512.HashData(data)));
        var session = await s.StartAsync("x", ct);
        await s.AppendAsync(session.Id, null, new MemoryStream(data), ct);
        Assert.Equal(data.Length, await s.CommitAsync(session.Id, digest, ct));
        Assert.Equal(data, await s.ReadAllAsync(digest, ct));
    }

    [Fact]
    public async Task PurgeRemovesStaleSessionsAndTheirParts()
    {
        var ct = CancellationToken.None;
        var prefix = "purge-" + Guid.NewGuid().ToString("N")[..8];
        using var s = Open(moto, prefix);
        var session = await s.StartAsync("x", ct);
        await s.AppendAsync(session.Id, null, new MemoryStream(RandomBytes(Part + 10)), ct);
        Assert.Equal(0, await s.PurgeAsync(DateTimeOffset.UtcNow - TimeSpan.FromHours(1), ct));
        Assert.Equal(1, await s.PurgeAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), ct));
        Assert.Null(await s.GetAsync(session.Id, ct));
        Assert.Empty(await moto.Moto.KeysAsync(moto.Bucket, prefix + "/"));
    }

    [Fact]
    public async Task ARegistryOverS3ServesPushesListsAndCollectsGarbage()
    {
        var prefix = "server-" + Guid.NewGuid().ToString("N")[..8];
        void S3(RegistryConfig c)
        {
            c.Root = null;
            c.Storage = "s3";
            c.S3Endpoint = moto.Moto.Endpoint.ToString();
            c.S3Bucket = moto.Bucket;
            c.S3Prefix = prefix;
            c.S3AccessKey = Wharf.TestSupport.MotoServer.AccessKey;
            c.S3SecretKey = Wharf.TestSupport.MotoServer.SecretKey;
        }
        await using var reg = await TestRegistry.StartAsync(S3);
        var (kept, _) = await reg.PushImageAsync("gc/app", "v1", layerText: "kept layer");
        await reg.PushImageAsync("gc/app", "v2", layerText: "kept layer");
        var orphan = await reg.PushBlobAsync("gc/app", Encoding.ASCII.GetBytes("never referenced"));
        using (var tags = await reg.Client.GetAsync("/v2/gc/app/tags/list?n=1"))
        {
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
            Assert.Equal("{\"name\":\"gc/app\",\"tags\":[\"v1\"]}", await tags.Content.ReadAsStringAsync());
            Assert.Equal("</v2/gc/app/tags/list?n=1&last=v1>; rel=\"next\"", tags.Headers.GetValues("Link").Single());
        }
        Assert.Equal("{\"repositories\":[\"gc/app\"]}", await reg.Client.GetStringAsync("/v2/_catalog"));
        using (var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/gc/app/blobs/{orphan}"))
        {
            get.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(6, 9);
            using var ranged = await reg.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
            Assert.Equal("refe", await ranged.Content.ReadAsStringAsync());
        }

        var config = new RegistryConfig();
        S3(config);
        var report = await RegistryGc.RunAsync(config, new GcOptions(TimeSpan.Zero, TimeSpan.FromDays(7)), CancellationToken.None);
        Assert.Equal(1, report.DeletedBlobs);
        Assert.Equal(HttpStatusCode.NotFound, (await reg.Client.GetAsync($"/v2/gc/app/blobs/{orphan}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/app/manifests/{kept}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/app/blobs/{TestRegistry.Sha256(Encoding.ASCII.GetBytes("kept layer"))}")).StatusCode);
    }

    [Fact]
    public async Task AStoreThatGoesAwayIsA503Unavailable()
    {
        var own = await Wharf.TestSupport.MotoServer.StartAsync();
        try
        {
            var bucket = await own.CreateBucketAsync();
            await using var reg = await TestRegistry.StartAsync(c =>
            {
                c.Root = null;
                c.Storage = "s3";
                c.S3Endpoint = own.Endpoint.ToString();
                c.S3Bucket = bucket;
                c.S3AccessKey = "a";
                c.S3SecretKey = "b";
            });
            var blob = await reg.PushBlobAsync("down/app", Encoding.ASCII.GetBytes("here while the store is"));
            await own.DisposeAsync();
            using var get = await reg.Client.GetAsync($"/v2/down/app/blobs/{blob}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
            var body = await get.Content.ReadAsStringAsync();
            Assert.Contains("\"code\":\"UNAVAILABLE\"", body, StringComparison.Ordinal);
            Assert.Contains("cannot reach S3 endpoint", body, StringComparison.Ordinal);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnUnreachableOrMissingBucketFailsAtStart()
    {
        var missing = new RegistryConfig
        {
            Storage = "s3", S3Endpoint = moto.Moto.Endpoint.ToString(), S3Bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8],
            S3AccessKey = "a", S3SecretKey = "b",
        };
        var e = await Assert.ThrowsAsync<S3Exception>(() => Wharf.Registry.Storage.RegistryStorage.OpenAsync(missing, TimeProvider.System, _ => null, CancellationToken.None));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);

        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var closedPort = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        missing.S3Endpoint = $"http://127.0.0.1:{closedPort}";
        var unreachable = await Assert.ThrowsAsync<S3Exception>(() => Wharf.Registry.Storage.RegistryStorage.OpenAsync(missing, TimeProvider.System, _ => null, CancellationToken.None));
        Assert.Contains("cannot reach S3 endpoint", unreachable.Message, StringComparison.Ordinal);
    }
}
