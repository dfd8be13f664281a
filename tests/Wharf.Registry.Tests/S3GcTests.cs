using Wharf.Oci;
using Wharf.Registry.Config;
using Wharf.Registry.Gc;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>
/// Garbage collection of multipart uploads no upload session names (a registry that died between
/// CreateMultipartUpload and writing the session's state, or while copying a large blob into
/// place), on moto behind <see cref="FaultyS3Proxy"/>, which reports the start times the test
/// sets and pages the listing one upload at a time (moto 5.2.1 does neither).
/// </summary>
public sealed class S3GcTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static S3Client Client(Uri endpoint, string bucket, string prefix) =>
        MotoFixture.Client(endpoint, bucket, prefix, new S3RetryPolicy(2, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(10)));

    private static async Task<List<S3MultipartUpload>> InProgressAsync(S3Client direct)
    {
        var all = new List<S3MultipartUpload>();
        await foreach (var u in direct.ListMultipartUploadsAsync("", CancellationToken.None))
        {
            all.Add(u);
        }
        return all;
    }

    [Fact]
    public async Task GcAbortsOldMultipartUploadsNoSessionNames()
    {
        var ct = CancellationToken.None;
        var prefix = "stray-" + Guid.NewGuid().ToString("N")[..8];
        await using var proxy = await FaultyS3Proxy.StartAsync(moto.Moto.Endpoint);
        proxy.UploadsPageSize = 1;
        using var direct = Client(moto.Moto.Endpoint, moto.Bucket, prefix);
        using var s = new S3Storage(Client(proxy.Endpoint, moto.Bucket, prefix), TimeProvider.System);
        var old = DateTimeOffset.UtcNow - TimeSpan.FromHours(2);

        // A live session with a full part: its state names its multipart upload.
        var data = new byte[S3Settings.MinPartSize + 10];
        Random.Shared.NextBytes(data);
        var live = await s.StartAsync("x", ct);
        await s.AppendAsync(live.Id, null, new MemoryStream(data, 0, S3Settings.MinPartSize + 5), ct);
        var liveUpload = Assert.Single(await InProgressAsync(direct));
        proxy.Initiated[liveUpload.UploadId] = old;
        // A second multipart upload on the live session's key (a CreateMultipartUpload whose answer was lost and that was sent again): not the one its state names.
        var duplicate = await direct.CreateMultipartAsync(S3Keys.UploadData(live.Id), ct);
        proxy.Initiated[duplicate] = old;
        // Orphans: a session's upload whose state was never written, and a copy into place that never completed.
        var orphanSession = Guid.NewGuid().ToString("N");
        var orphan = await direct.CreateMultipartAsync(S3Keys.UploadData(orphanSession), ct);
        proxy.Initiated[orphan] = old;
        var copyTarget = S3Keys.Blob(Digest.ComputeSha256("a large blob"u8));
        var orphanCopy = await direct.CreateMultipartAsync(copyTarget, ct);
        proxy.Initiated[orphanCopy] = old;
        await direct.UploadPartAsync(copyTarget, orphanCopy, 1, new byte[100], ct);
        // An orphan younger than the upload age: perhaps a request still under way.
        var fresh = await direct.CreateMultipartAsync(S3Keys.UploadData(Guid.NewGuid().ToString("N")), ct);
        proxy.Initiated[fresh] = DateTimeOffset.UtcNow;
        // Not the registry's: a multipart upload elsewhere under its prefix.
        var foreign = await direct.CreateMultipartAsync("elsewhere/file", ct);
        proxy.Initiated[foreign] = old;
        Assert.Equal(6, (await InProgressAsync(direct)).Count);

        var gc = new GarbageCollector(s, s, s, TimeProvider.System);
        var options = new GcOptions(TimeSpan.Zero, TimeSpan.FromHours(1));
        proxy.ClearExchanges();
        var dry = await gc.RunAsync(options with { DryRun = true }, ct);
        Assert.Equal(3, dry.AbortedStrayUploads);
        Assert.Equal(6, (await InProgressAsync(direct)).Count);
        Assert.DoesNotContain(proxy.Exchanges, e => e.Method == "DELETE");
        // One upload a page: the listing of uploads/ (3 old, 1 fresh) took 4 pages.
        Assert.Equal(4, proxy.Exchanges.Count(e => e.Method == "GET" && e.Target.EndsWith("uploads=", StringComparison.Ordinal)
            && e.Target.Contains("%2Fuploads%2F", StringComparison.Ordinal)));

        var report = await gc.RunAsync(options, ct);
        Assert.Equal(3, report.AbortedStrayUploads);
        Assert.Equal(0, report.PurgedUploads);
        Assert.Equal(
            new[] { foreign, liveUpload.UploadId, fresh }.Order(StringComparer.Ordinal),
            (await InProgressAsync(direct)).Select(u => u.UploadId).Order(StringComparer.Ordinal));

        // The live session is unharmed: it completes and its blob is served.
        await s.AppendAsync(live.Id, S3Settings.MinPartSize + 5, new MemoryStream(data, S3Settings.MinPartSize + 5, 5), ct);
        Assert.Equal(data.Length, await s.CommitAsync(live.Id, Digest.ComputeSha256(data), ct));
        Assert.Equal(data, await s.ReadAllAsync(Digest.ComputeSha256(data), ct));

        // Nothing left to abort; what is left is not the registry's or not old enough.
        Assert.Equal(0, (await gc.RunAsync(options, ct)).AbortedStrayUploads);
        await direct.AbortMultipartAsync("elsewhere/file", foreign, ct);
        await direct.AbortMultipartAsync(S3Keys.UploadData(fresh), fresh, ct);
    }

    [Fact]
    public async Task AStaleSessionIsPurgedWithItsMultipartUploadNotCountedAsStray()
    {
        var ct = CancellationToken.None;
        var prefix = "stale-" + Guid.NewGuid().ToString("N")[..8];
        using var direct = Client(moto.Moto.Endpoint, moto.Bucket, prefix);
        using var s = new S3Storage(Client(moto.Moto.Endpoint, moto.Bucket, prefix), TimeProvider.System);
        var session = await s.StartAsync("x", ct);
        await s.AppendAsync(session.Id, null, new MemoryStream(new byte[S3Settings.MinPartSize + 1]), ct);
        Assert.Single(await InProgressAsync(direct));
        // An upload age of zero: the session is stale at once (moto reports every multipart upload as started in 2010).
        var report = await new GarbageCollector(s, s, s, TimeProvider.System).RunAsync(new GcOptions(TimeSpan.Zero, TimeSpan.Zero), ct);
        Assert.Equal(1, report.PurgedUploads);
        Assert.Equal(0, report.AbortedStrayUploads);
        Assert.Empty(await InProgressAsync(direct));
        Assert.Empty(await moto.Moto.KeysAsync(moto.Bucket, prefix + "/"));
    }
}
