using Wharf.Oci;

namespace Wharf.Registry.Storage;

/// <summary>
/// Blob upload sessions. A session is started for one repository, receives bytes strictly in
/// order (monolithic, chunked or streamed), and ends by being committed under a digest (which
/// is verified; a mismatch discards the session and stores nothing) or cancelled. Session ids
/// are opaque lower-case hex strings, safe in URLs and paths.
/// </summary>
internal interface IUploadStore
{
    Task<UploadStatus> StartAsync(string repository, CancellationToken cancellationToken);

    /// <summary>The session, or null when it does not exist (never started, committed, cancelled).</summary>
    Task<UploadStatus?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="content"/> to the session. When <paramref name="expectedOffset"/> is
    /// given and differs from the session's size, nothing is written and a
    /// <see cref="Errors.RegistryErrorKind.UploadRangeInvalid"/> error is thrown. Bytes that arrived before
    /// a broken connection stay in the session, so the client can ask where to resume.
    /// </summary>
    /// <returns>The session's size afterwards.</returns>
    Task<long> AppendAsync(string id, long? expectedOffset, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Verifies the session's bytes against <paramref name="digest"/> and publishes them in the
    /// <see cref="IBlobStore"/>. The session ends either way.
    /// </summary>
    /// <returns>The blob's size.</returns>
    Task<long> CommitAsync(string id, Digest digest, CancellationToken cancellationToken);

    /// <summary>Discards the session; false when it did not exist.</summary>
    Task<bool> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes sessions untouched since <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
