using Wharf.Oci;

namespace Wharf.Registry.Storage;

/// <summary>
/// What each repository holds: links to the blobs it may serve, its manifest revisions (with
/// their media types), its tags, and the referrers of each subject. Content itself lives in the
/// <see cref="IBlobStore"/>; a repository exists once anything has been linked into it. Names
/// given here are already validated (<see cref="RepositoryName"/>), tags too.
/// </summary>
internal interface IRepositoryStore
{
    Task<bool> ExistsAsync(string repository, CancellationToken cancellationToken);

    Task LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    Task<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>False when the blob was not linked.</summary>
    Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken);

    /// <summary>Records a manifest revision whose bytes are already in the blob store, then the tag
    /// (if any) and the referrer link (if the manifest has a subject).</summary>
    Task PutManifestAsync(string repository, Digest digest, string mediaType, string? tag, Digest? subject, CancellationToken cancellationToken);

    /// <summary>The media type a revision was pushed with, or null when the repository has no such revision.</summary>
    Task<string?> GetManifestMediaTypeAsync(string repository, Digest digest, CancellationToken cancellationToken);

    Task<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken);

    Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Removes a revision, every tag that points at it and its referrer link; false when absent.</summary>
    Task<bool> DeleteManifestAsync(string repository, Digest digest, Digest? subject, CancellationToken cancellationToken);

    /// <summary>The repository's tags, in no particular order.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken);

    /// <summary>Every repository, in no particular order.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken);

    /// <summary>Manifest revisions in the repository whose subject is <paramref name="subject"/>.</summary>
    Task<IReadOnlyList<Digest>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken);

    Task<IReadOnlyList<Digest>> ListManifestsAsync(string repository, CancellationToken cancellationToken);

    Task<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken);
}
