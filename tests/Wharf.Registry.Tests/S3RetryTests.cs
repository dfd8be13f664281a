using System.Diagnostics;
using System.Net;
using System.Text;
using Wharf.Oci;
using Wharf.Registry.Config;
using Wharf.Registry.Storage;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>
/// The S3 client against a store that fails now and then: a proxy in front of moto answers chosen
/// requests with 503 SlowDown, 500 InternalError, 400 RequestTimeout, a 200 holding an error, or a
/// connection reset mid-answer. Transient failures are retried (re-signed) until the real answer
/// comes; final ones and lasting ones fail after a bounded number of attempts as storage-unavailable.
/// </summary>
public sealed class S3RetryTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static readonly S3RetryPolicy Quick = new(4, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(20));

    private static S3Client Client(Uri endpoint, string bucket, string prefix, S3RetryPolicy retry) =>
        MotoFixture.Client(endpoint, bucket, prefix, retry);

    private static int Count(FaultyS3Proxy proxy, string method, string targetPart) =>
        proxy.Exchanges.Count(e => e.Method == method && e.Target.Contains(targetPart, StringComparison.Ordinal));

    [Fact]
    public void WaitsAreJitteredUnderADoublingCap()
    {
        var policy = S3RetryPolicy.Default;
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var cap = Math.Min(250 * Math.Pow(2, attempt - 1), 20_000);
            var waits = Enumerable.Range(0, 200).Select(_ => policy.DelayAfter(attempt).TotalMilliseconds).ToList();
            Assert.All(waits, w => Assert.InRange(w, 0, cap));
            // Full jitter: spread over the range, not bunched at the cap.
            Assert.True(waits.Min() < cap / 4 && waits.Max() > cap * 3 / 4, $"attempt {attempt}: {waits.Min()}..{waits.Max()} of {cap}");
        }
        Assert.True(S3RetryPolicy.IsTransientStatus(HttpStatusCode.ServiceUnavailable));
        Assert.True(S3RetryPolicy.IsTransientStatus((HttpStatusCode)429));
        Assert.False(S3RetryPolicy.IsTransientStatus(HttpStatusCode.NotFound));
        Assert.False(S3RetryPolicy.IsTransientStatus(HttpStatusCode.NotImplemented));
        Assert.True(S3RetryPolicy.IsTransientCode("SlowDown"));
        Assert.True(S3RetryPolicy.IsTransientCode("RequestTimeout"));
        Assert.False(S3RetryPolicy.IsTransientCode("NoSuchKey"));
        Assert.False(S3RetryPolicy.IsTransientCode("AccessDenied"));
        Assert.False(S3RetryPolicy.IsTransientCode(null));
    }

    [Fact]
    public async Task TransientFailuresAreRetriedUntilTheRealAnswer()
    {
        var ct = CancellationToken.None;
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "retry-" + Guid.NewGuid().ToString("N")[..8];
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, Quick), TimeProvider.System);
        var data = Encoding.ASCII.GetBytes("a blob that takes a few tries");
        var digest = Digest.ComputeSha256(data);
        var key = $"/{prefix}/blobs/sha256/{digest.Hex[..2]}/{digest.Hex}";
        bool IsBlob(string m, string t) => t == "/" + moto.Bucket + key;

        // A PUT: throttled, failed, cut off mid-answer, then stored.
        proxy.Inject((m, t) => m == "PUT" && IsBlob(m, t), S3Fault.SlowDown, S3Fault.InternalError, S3Fault.Drop);
        await s.PutAsync(digest, data, ct);
        Assert.Equal(4, Count(proxy, "PUT", key));

        // A GET: S3's 400 RequestTimeout is transient too; a reset mid-body is retried.
        proxy.Inject((m, t) => m == "GET" && IsBlob(m, t), S3Fault.RequestTimeout, S3Fault.Drop);
        Assert.Equal(data, await s.ReadAllAsync(digest, ct));
        Assert.Equal(3, Count(proxy, "GET", key));

        // A HEAD (no error body, the status alone tells).
        var headsBefore = Count(proxy, "HEAD", key);
        proxy.Inject((m, t) => m == "HEAD" && IsBlob(m, t), S3Fault.SlowDown, S3Fault.SlowDown);
        Assert.Equal(data.Length, (await s.StatAsync(digest, ct))!.Size);
        Assert.Equal(headsBefore + 3, Count(proxy, "HEAD", key));

        // A listing.
        proxy.Inject((m, t) => m == "GET" && t.Contains("list-type=2", StringComparison.Ordinal), S3Fault.InternalError);
        var listed = new List<Digest>();
        await foreach (var (d, _) in s.ListAsync(ct))
        {
            listed.Add(d);
        }
        Assert.Equal([digest], listed);

        // A multipart upload whose completion S3 answers with 200 and an InternalError document, then for real.
        var big = new byte[S3Settings.MinPartSize + 100];
        Random.Shared.NextBytes(big);
        var session = await s.StartAsync("x", ct);
        proxy.Inject((m, t) => m == "PUT" && t.Contains("partNumber=1", StringComparison.Ordinal), S3Fault.SlowDown);
        await s.AppendAsync(session.Id, null, new MemoryStream(big), ct);
        proxy.Inject((m, t) => m == "POST" && t.Contains("uploadId=", StringComparison.Ordinal), S3Fault.OkWithInternalError);
        Assert.Equal(big.Length, await s.CommitAsync(session.Id, Digest.ComputeSha256(big), ct));
        Assert.Equal(2, proxy.Exchanges.Count(e => e.Method == "POST" && e.Target.Contains("uploadId=", StringComparison.Ordinal)));
        Assert.Equal(2, Count(proxy, "PUT", "partNumber=1&"));
        Assert.Equal(big, await s.ReadAllAsync(Digest.ComputeSha256(big), ct));
    }

    /// <summary>A clock a minute later at each reading: every signature made from it is of another time.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
        private int _readings;

        public override DateTimeOffset GetUtcNow() => _start + TimeSpan.FromMinutes(Interlocked.Increment(ref _readings));
    }

    [Fact]
    public async Task EachAttemptIsSignedAnew()
    {
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var settings = Client(proxy.Endpoint, moto.Bucket, "retry-" + Guid.NewGuid().ToString("N")[..8], Quick).Settings;
        using var client = new S3Client(settings, new SteppingClock()) { Retry = Quick };
        proxy.Inject((m, _) => m == "PUT", S3Fault.SlowDown, S3Fault.Drop);
        await client.PutAsync("signed", "x"u8.ToArray(), CancellationToken.None);
        var puts = proxy.Exchanges.Where(e => e.Method == "PUT").ToList();
        Assert.Equal(3, puts.Count);
        // SigV4 signs x-amz-date: a resent request with the first signature would be refused once its time is past.
        Assert.Equal(3, puts.Select(e => e.AmzDate).Distinct().Count());
        Assert.Equal(3, puts.Select(e => e.Authorization).Distinct().Count());
        Assert.Equal(puts.Select(e => e.AmzDate).Order(StringComparer.Ordinal), puts.Select(e => e.AmzDate));
        Assert.Equal("x"u8.ToArray(), await client.GetBytesAsync("signed", CancellationToken.None));
    }

    [Fact]
    public async Task RequestsThatTookEffectButLostTheirAnswerAreSafeToRepeat()
    {
        var ct = CancellationToken.None;
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "lost-" + Guid.NewGuid().ToString("N")[..8];
        const int part = S3Settings.MinPartSize;
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, Quick), TimeProvider.System) { SingleCopyLimit = part + 1, CopyPartSize = part };
        var data = new byte[(2 * part) + 7];
        Random.Shared.NextBytes(data);
        var digest = Digest.ComputeSha256(data);
        bool Blobs(string t) => t.Contains($"/{prefix}/blobs/", StringComparison.Ordinal);
        bool Uploads(string t) => t.Contains($"/{prefix}/uploads/", StringComparison.Ordinal);
        proxy.Inject((m, t) => m == "PUT" && t.EndsWith("/state", StringComparison.Ordinal), S3Fault.LoseAnswer);
        proxy.Inject((m, t) => m == "POST" && Uploads(t) && t.EndsWith("?uploads=", StringComparison.Ordinal), S3Fault.LoseAnswer);
        proxy.Inject((m, t) => m == "PUT" && Uploads(t) && t.Contains("partNumber=1&", StringComparison.Ordinal), S3Fault.LoseAnswer);
        // The completions: moto completes a repeated one again; S3 may answer it NoSuchUpload, though the object is there.
        proxy.Inject((m, t) => m == "POST" && Uploads(t) && t.Contains("uploadId=", StringComparison.Ordinal), S3Fault.LoseAnswer, S3Fault.NoSuchUpload);
        proxy.Inject((m, t) => m == "PUT" && Blobs(t) && t.Contains("partNumber=2&", StringComparison.Ordinal), S3Fault.LoseAnswer);
        proxy.Inject((m, t) => m == "POST" && Blobs(t) && t.Contains("uploadId=", StringComparison.Ordinal), S3Fault.LoseAnswer);
        proxy.Inject((m, t) => m == "DELETE" && Uploads(t), S3Fault.LoseAnswer);

        var session = await s.StartAsync("x", ct);
        Assert.Equal(data.Length, await s.AppendAsync(session.Id, null, new MemoryStream(data), ct));
        Assert.Equal(data.Length, await s.CommitAsync(session.Id, digest, ct));
        Assert.Equal(7, proxy.Exchanges.Count(e => e.Fault == S3Fault.LoseAnswer));
        Assert.Single(proxy.Exchanges, e => e.Fault == S3Fault.NoSuchUpload);
        Assert.Equal(data, await s.ReadAllAsync(digest, ct));

        // The repeated CreateMultipartUpload left a multipart upload no session names: gc's to abort.
        using var direct = Client(moto.Moto.Endpoint, moto.Bucket, prefix, Quick);
        var left = new List<S3MultipartUpload>();
        await foreach (var u in direct.ListMultipartUploadsAsync("", ct))
        {
            left.Add(u);
        }
        Assert.Equal(S3Keys.UploadData(session.Id), Assert.Single(left).Key);
        var report = await new Wharf.Registry.Gc.GarbageCollector(s, s, s, TimeProvider.System)
            .RunAsync(new Wharf.Registry.Gc.GcOptions(TimeSpan.FromHours(1), TimeSpan.Zero), ct);
        Assert.Equal(1, report.AbortedStrayUploads);
        await foreach (var u in direct.ListMultipartUploadsAsync("", ct))
        {
            Assert.Fail("still in progress: " + u.Key);
        }
        Assert.Equal([$"{prefix}/blobs/sha256/{digest.Hex[..2]}/{digest.Hex}"], await moto.Moto.KeysAsync(moto.Bucket, prefix + "/"));
    }

    [Fact]
    public async Task AStreamedBlobPicksUpWhereItsAnswerBrokeOff()
    {
        var ct = CancellationToken.None;
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "resume-" + Guid.NewGuid().ToString("N")[..8];
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, Quick), TimeProvider.System);
        var data = new byte[300_000];
        Random.Shared.NextBytes(data);
        var digest = Digest.ComputeSha256(data);
        await s.PutAsync(digest, data, ct);
        var key = $"/{prefix}/blobs/sha256/{digest.Hex[..2]}/{digest.Hex}";

        // Cut off at 150000, then at 150000 + 75000: three GETs make the whole blob.
        proxy.Inject((m, t) => m == "GET" && t.EndsWith(key, StringComparison.Ordinal), S3Fault.TruncateBody, S3Fault.TruncateBody);
        var whole = new MemoryStream();
        var stream = (await s.OpenReadAsync(digest, ct))!;
        await using (stream)
        {
            await stream.CopyToAsync(whole, ct);
        }
        Assert.True(data.AsSpan().SequenceEqual(whole.ToArray()));
        Assert.Equal(3, Count(proxy, "GET", key));

        // From an offset; then breaks with no byte in between: it gives up after the policy's attempts.
        proxy.Inject((m, t) => m == "GET" && t.EndsWith(key, StringComparison.Ordinal), S3Fault.TruncateBody);
        var tail = new MemoryStream();
        stream = (await s.OpenReadAsync(digest, ct))!;
        await using (stream)
        {
            stream.Seek(100_000, SeekOrigin.Begin);
            await stream.CopyToAsync(tail, ct);
        }
        Assert.True(data.AsSpan(100_000).SequenceEqual(tail.ToArray()));
        proxy.Inject((m, t) => m == "GET" && t.EndsWith(key, StringComparison.Ordinal), [.. Enumerable.Repeat(S3Fault.EmptyBody, 10)]);
        proxy.ClearExchanges();
        stream = (await s.OpenReadAsync(digest, ct))!;
        await using (stream)
        {
            await Assert.ThrowsAnyAsync<IOException>(() => stream.CopyToAsync(Stream.Null, ct));
        }
        Assert.Equal(Quick.MaxAttempts, Count(proxy, "GET", key));
    }

    [Fact]
    public async Task AStalledExchangeTimesOutAndIsTriedAgain()
    {
        var ct = CancellationToken.None;
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "stall-" + Guid.NewGuid().ToString("N")[..8];
        // Long enough for moto's real answers on a busy machine, short enough for a quick test.
        var policy = Quick with { AttemptTimeout = TimeSpan.FromSeconds(1), MinBytesPerSecond = 1e12 };
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, policy), TimeProvider.System);
        var data = new byte[200_000];
        Random.Shared.NextBytes(data);
        var digest = Digest.ComputeSha256(data);
        var key = $"/{prefix}/blobs/sha256/{digest.Hex[..2]}/{digest.Hex}";

        // No answer to the first PUT: given up on after the attempt timeout, then sent again.
        proxy.Inject((m, t) => m == "PUT" && t.EndsWith(key, StringComparison.Ordinal), S3Fault.Stall);
        var watch = Stopwatch.StartNew();
        await s.PutAsync(digest, data, ct);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
        Assert.Equal(2, Count(proxy, "PUT", key));

        // A streamed read stalls halfway: it goes on from there.
        proxy.Inject((m, t) => m == "GET" && t.EndsWith(key, StringComparison.Ordinal), S3Fault.StallBody);
        var whole = new MemoryStream();
        var stream = (await s.OpenReadAsync(digest, ct))!;
        await using (stream)
        {
            await stream.CopyToAsync(whole, ct);
        }
        Assert.True(data.AsSpan().SequenceEqual(whole.ToArray()));
        Assert.Equal(2, Count(proxy, "GET", key));

        // A store that never answers: the bounded attempts, then storage-unavailable.
        var twice = policy with { MaxAttempts = 2 };
        using var impatient = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, twice), TimeProvider.System);
        proxy.ClearExchanges();
        proxy.Always = S3Fault.Stall;
        var e = await Assert.ThrowsAsync<S3Exception>(() => impatient.ReadAllAsync(digest, ct).AsTask());
        Assert.Contains("timed out (2 attempts)", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, proxy.Exchanges.Count);
    }

    [Fact]
    public async Task LastingOrFinalFailuresStopAfterBoundedAttempts()
    {
        var ct = CancellationToken.None;
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "retry-" + Guid.NewGuid().ToString("N")[..8];
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix, Quick), TimeProvider.System);
        var digest = Digest.ComputeSha256("absent"u8);

        // An absent object is an answer, not a failure: one request.
        Assert.Null(await s.StatAsync(digest, ct));
        Assert.Single(proxy.Exchanges);

        // Lasting throttling: MaxAttempts requests, then the storage-unavailable error the API maps to 503 UNAVAILABLE.
        proxy.ClearExchanges();
        proxy.Always = S3Fault.SlowDown;
        var slow = await Assert.ThrowsAsync<S3Exception>(() => s.ReadAllAsync(digest, ct).AsTask());
        Assert.IsAssignableFrom<StorageUnavailableException>(slow);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.Status);
        Assert.Equal("SlowDown", slow.Code);
        Assert.EndsWith($"({Quick.MaxAttempts} attempts)", slow.Message, StringComparison.Ordinal);
        Assert.Equal(Quick.MaxAttempts, proxy.Exchanges.Count);

        // Connections reset every time: the same bound, reported as an unreachable endpoint.
        proxy.ClearExchanges();
        proxy.Always = S3Fault.Drop;
        var dropped = await Assert.ThrowsAsync<S3Exception>(() => s.ReadAllAsync(digest, ct).AsTask());
        Assert.Contains("cannot reach S3 endpoint", dropped.Message, StringComparison.Ordinal);
        Assert.Contains($"({Quick.MaxAttempts} attempts)", dropped.Message, StringComparison.Ordinal);
        Assert.Equal(Quick.MaxAttempts, proxy.Exchanges.Count);

        // A 4xx other than throttling is final: one request.
        proxy.ClearExchanges();
        proxy.Always = S3Fault.AccessDenied;
        var denied = await Assert.ThrowsAsync<S3Exception>(() => s.ReadAllAsync(digest, ct).AsTask());
        Assert.Equal("AccessDenied", denied.Code);
        Assert.Single(proxy.Exchanges);
    }

    [Fact]
    public async Task CancellationEndsTheBackoff()
    {
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var slowPolicy = new S3RetryPolicy(5, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        using var client = Client(proxy.Endpoint, moto.Bucket, "retry-" + Guid.NewGuid().ToString("N")[..8], slowPolicy);
        proxy.Always = S3Fault.SlowDown;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        // Waits are drawn up to 30 s, 60 s...: the caller's cancellation ends the first one.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetBytesAsync("k", cts.Token));
        Assert.True(proxy.Exchanges.Count < 5);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ARegistryRidesOutThrottlingAndReports503WhenItLasts()
    {
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        var prefix = "retry-server-" + Guid.NewGuid().ToString("N")[..8];
        await using var reg = await TestRegistry.StartAsync(c =>
        {
            c.Root = null;
            c.Storage = "s3";
            c.S3Endpoint = proxy.Endpoint.ToString();
            c.S3Bucket = moto.Bucket;
            c.S3Prefix = prefix;
            c.S3AccessKey = Wharf.TestSupport.MotoServer.AccessKey;
            c.S3SecretKey = Wharf.TestSupport.MotoServer.SecretKey;
        });
        // The default policy, with its real (short) backoff.
        proxy.Inject((m, t) => m == "PUT", S3Fault.SlowDown, S3Fault.InternalError);
        var blob = await reg.PushBlobAsync("flaky/app", Encoding.ASCII.GetBytes("pushed through throttling"));
        Assert.Equal(2, proxy.Exchanges.Count(e => e.Fault is not null));
        Assert.Equal("pushed through throttling", await reg.Client.GetStringAsync($"/v2/flaky/app/blobs/{blob}"));

        proxy.ClearExchanges();
        proxy.Always = S3Fault.SlowDown;
        using var get = await reg.Client.GetAsync($"/v2/flaky/app/blobs/{blob}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        var body = await get.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":\"UNAVAILABLE\"", body, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", body, StringComparison.Ordinal);
        Assert.Contains("5 attempts", body, StringComparison.Ordinal);
        Assert.Equal(S3RetryPolicy.Default.MaxAttempts, proxy.Exchanges.Count);
    }
}
