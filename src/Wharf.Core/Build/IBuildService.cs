namespace Wharf.Core.Build;

/// <summary>
/// Dockerfile builds (<c>POST /build</c>, Docker's legacy builder protocol) and their layer
/// cache. A build reads the whole context tar, parses the Dockerfile and resolves the stages
/// before the first output, so such errors can still be HTTP errors; later failures are
/// thrown after output began and the caller reports them in the stream. A failed build
/// leaves no image of its own, no containers and no mounts.
/// </summary>
public interface IBuildService
{
    /// <returns>The ID of the built image.</returns>
    Task<Oci.Digest> BuildAsync(BuildRequest request, Stream context, Func<BuildOutput, ValueTask> output, CancellationToken cancellationToken);

    /// <summary>The cache entries (for <c>system df</c>).</summary>
    IReadOnlyList<BuildCacheRecord> ListCache();

    /// <summary>Forgets cache entries (all, or only those whose images are unused); returns the removed ones.</summary>
    Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneCacheAsync(bool all, CancellationToken cancellationToken);
}
