using System.Runtime.CompilerServices;
using Wharf.Oci;

namespace Wharf.Registry.Storage.S3;

internal sealed partial class S3Storage
{
    public async ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken) =>
        await _s3.HeadAsync(S3Keys.Blob(digest), cancellationToken).ConfigureAwait(false) is { } o ? new BlobInfo(o.Size, null) : null;

    public async ValueTask<Stream?> OpenReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = S3Keys.Blob(digest);
        return await _s3.HeadAsync(key, cancellationToken).ConfigureAwait(false) is { } o ? new S3ReadStream(_s3, key, o.Size) : null;
    }

    public async ValueTask<byte[]?> ReadAllAsync(Digest digest, CancellationToken cancellationToken) =>
        await _s3.GetBytesAsync(S3Keys.Blob(digest), cancellationToken).ConfigureAwait(false);

    public async Task PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var key = S3Keys.Blob(digest);
        // Content under a digest never changes; not rewriting keeps the stored time GC goes by.
        if (await _s3.HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            await _s3.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var key = S3Keys.Blob(digest);
        if (await _s3.HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        await _s3.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async IAsyncEnumerable<(Digest Digest, DateTimeOffset Stored)> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var page in _s3.ListAsync(S3Keys.BlobsPrefix, null, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var o in page.Objects)
            {
                if (S3Keys.BlobDigest(o.Key) is { } d)
                {
                    yield return (d, o.LastModified);
                }
            }
        }
    }
}
