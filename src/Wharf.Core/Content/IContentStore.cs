using Wharf.Oci;

namespace Wharf.Core.Content;

/// <summary>
/// A content-addressed blob store. Blobs are written to a private ingest file, verified against
/// the expected digest, fsynced and renamed into place: a reader never sees a partial blob, and
/// an interrupted write leaves only an ingest file that <see cref="RecoverAsync"/> removes.
/// </summary>
public interface IContentStore
{
    bool Exists(Digest digest);

    /// <summary>Size in bytes, or -1 when absent.</summary>
    long GetSize(Digest digest);

    /// <summary>Opens a committed blob; NotFound when absent.</summary>
    Stream OpenRead(Digest digest);

    /// <summary>Reads a whole (small) blob, such as a config or manifest, byte for byte.</summary>
    Task<byte[]> ReadAllAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Copies <paramref name="source"/> into the store. When <paramref name="expected"/> is given
    /// and the content does not match, fails with InvalidArgument and commits nothing.
    /// </summary>
    Task<BlobInfo> WriteAsync(Stream source, Digest? expected, CancellationToken cancellationToken);

    Task<BlobInfo> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an already-written file (on the same filesystem) into the store if its content
    /// hashes to <paramref name="digest"/>; used by load to avoid copying large layers twice.
    /// With <paramref name="verified"/> the caller vouches that it hashed the bytes itself
    /// while writing the file, and the store skips hashing them again.
    /// </summary>
    Task<BlobInfo> AdoptFileAsync(string path, Digest digest, bool verified, CancellationToken cancellationToken);

    /// <summary>A directory on the store's filesystem for temporary files that may be adopted.</summary>
    string TempDirectory { get; }

    IEnumerable<BlobInfo> List();

    void Delete(Digest digest);

    Task RecoverAsync(CancellationToken cancellationToken);
}
