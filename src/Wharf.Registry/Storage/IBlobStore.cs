using Wharf.Oci;

namespace Wharf.Registry.Storage;

/// <summary>
/// Content-addressed blobs shared by every repository (layers, configs and manifests alike).
/// A blob is visible only once complete and verified: writers stage content elsewhere and
/// publish it atomically, so a reader never sees a partial blob, even after a crash. Whether a
/// repository may see a blob is the <see cref="IRepositoryStore"/>'s business, not this store's.
/// </summary>
internal interface IBlobStore
{
    /// <summary>The blob's size and, when it lives in a local file, that file; null when absent.</summary>
    ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Opens the blob for reading, or null when absent.</summary>
    ValueTask<Stream?> OpenReadAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Reads a small blob (a manifest) whole, or null when absent.</summary>
    ValueTask<byte[]?> ReadAllAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Stores bytes the caller has already verified against <paramref name="digest"/>; idempotent.</summary>
    Task PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Removes the blob; false when it was absent.</summary>
    Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>Every stored blob with the time it was stored (for garbage collection).</summary>
    IAsyncEnumerable<(Digest Digest, DateTimeOffset Stored)> ListAsync(CancellationToken cancellationToken);
}
