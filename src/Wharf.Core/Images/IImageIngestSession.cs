using Wharf.Oci;

namespace Wharf.Core.Images;

/// <summary>
/// One image being written. <see cref="AddLayerAsync"/> must be called bottom up for every layer
/// <see cref="HasLayer"/> does not report; <see cref="CommitAsync"/> stores the config and points
/// the references at it. Disposing without a commit removes what the session added.
/// </summary>
public interface IImageIngestSession : IAsyncDisposable
{
    /// <summary>The image ID (the config's digest).</summary>
    Digest ImageId { get; }

    /// <summary>Diff IDs from the config's rootfs, bottom first.</summary>
    IReadOnlyList<Digest> DiffIds { get; }

    /// <summary>True when layer <paramref name="index"/> (and every layer under it) is already unpacked.</summary>
    bool HasLayer(int index);

    /// <summary>Stores and unpacks layer <paramref name="index"/>; the stream must hash to its diff ID.</summary>
    Task AddLayerAsync(int index, Stream uncompressed, CancellationToken cancellationToken);

    /// <summary>
    /// The first half of <see cref="AddLayerAsync"/>: stores layer <paramref name="index"/>'s
    /// content (verified against its diff ID) without unpacking it. Several layers may be stored
    /// at once and in any order; <see cref="UnpackStoredLayerAsync"/> then unpacks them bottom up.
    /// </summary>
    Task StoreLayerAsync(int index, Stream uncompressed, CancellationToken cancellationToken);

    /// <summary>Unpacks layer <paramref name="index"/> from what <see cref="StoreLayerAsync"/> stored; bottom up, like AddLayerAsync.</summary>
    Task UnpackStoredLayerAsync(int index, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the image and points each full reference at it. Returns true when a reference
    /// changed (Docker's "Downloaded newer image") and false when all already pointed here.
    /// </summary>
    Task<bool> CommitAsync(IReadOnlyList<string> references, CancellationToken cancellationToken);
}
