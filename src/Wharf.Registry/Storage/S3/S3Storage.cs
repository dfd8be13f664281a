namespace Wharf.Registry.Storage.S3;

/// <summary>
/// The registry's storage in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, moto...),
/// laid out as <see cref="S3Keys"/> says. The guarantees are the filesystem store's where S3 can
/// give them: every object is written whole by one PUT, CopyObject or CompleteMultipartUpload,
/// so nothing half-written is ever visible; a blob appears under its digest only after the
/// upload's bytes were verified against it; upload sessions live in the bucket, so they resume
/// after a restart or on another registry process sharing the bucket. An upload holds at most
/// one part (<see cref="S3Settings.PartSize"/>) in memory; blob reads stream.
/// </summary>
internal sealed partial class S3Storage : IBlobStore, IUploadStore, IRepositoryStore, IDisposable
{
    private readonly S3Client _s3;
    private readonly TimeProvider _time;

    public S3Storage(S3Client client, TimeProvider time)
    {
        _s3 = client;
        _time = time;
    }

    /// <summary>Connects and checks that the bucket answers with these settings, so bad settings fail at start.</summary>
    public static async Task<S3Storage> OpenAsync(S3Settings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = new S3Client(settings, time);
        try
        {
            await client.CheckBucketAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new S3Storage(client, time);
    }

    public void Dispose() => _s3.Dispose();

    /// <summary>Every key under <paramref name="prefix"/> (relative to the store's prefix), page by page.</summary>
    private async Task<List<S3Object>> ListAllAsync(string prefix, CancellationToken ct)
    {
        var result = new List<S3Object>();
        await foreach (var page in _s3.ListAsync(prefix, null, null, ct).ConfigureAwait(false))
        {
            result.AddRange(page.Objects);
        }
        return result;
    }

    private async Task<bool> AnyUnderAsync(string prefix, CancellationToken ct)
    {
        await foreach (var page in _s3.ListAsync(prefix, null, 1, ct).ConfigureAwait(false))
        {
            return page.Objects.Count > 0;
        }
        return false;
    }
}
