using Wharf.Oci;

namespace Wharf.Core.Images;

/// <summary>Creates images from containers (<c>docker commit</c>).</summary>
public interface IImageCommitter
{
    /// <summary>
    /// Validates the request (reference, changes) first, then calls <paramref name="writeLayer"/>
    /// to stream the container's changes as an uncompressed layer tar, stores it as a blob and a
    /// snapshot on the parent's top layer, and records the image (and the tag) in the same
    /// crash-safe order as import. A layer with no entries adds no layer (an empty history entry).
    /// </summary>
    /// <returns>The new image's ID.</returns>
    Task<Digest> CommitAsync(ImageCommitRequest request, Func<Stream, CancellationToken, Task> writeLayer, CancellationToken cancellationToken);
}
