namespace Wharf.Core.Snapshots;

/// <summary>
/// Stores unpacked image layers as snapshots, each keyed by the layer's chain ID
/// (<c>sha256:...</c>) and stacked on its parent's key.
/// <para>
/// Lifecycle: <see cref="ApplyLayerAsync"/> unpacks a layer tar into a hidden temporary
/// directory and, only when the whole tar was applied, renames it into place, so a snapshot is
/// either fully present or absent even if the process is killed. <see cref="RecoverAsync"/>,
/// called once at daemon start, deletes whatever a killed process left half-made.
/// </para>
/// </summary>
public interface ISnapshotter
{
    /// <summary>Driver name shown in <c>/info</c> (<c>overlay2</c> or <c>vfs</c>).</summary>
    string Name { get; }

    bool Exists(string key);

    /// <summary>
    /// Applies an uncompressed layer tar on top of <paramref name="parentKey"/> (null for a base
    /// layer) and commits the result as <paramref name="key"/>. A tar whose entries escape the
    /// root, hard-link outside it, or are not allowed (device nodes) fails with
    /// <see cref="Errors.ErrorKind.InvalidArgument"/> and leaves nothing behind. Idempotent: an
    /// existing key returns its stored size without reading <paramref name="layerTar"/>.
    /// </summary>
    /// <returns>The bytes the layer adds (sum of regular-file sizes in the diff).</returns>
    Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken);

    /// <summary>The parent key recorded for <paramref name="key"/>, or null for a base layer.</summary>
    string? GetParent(string key);

    /// <summary>The unpacked size recorded for the snapshot's own diff.</summary>
    long GetSize(string key);

    /// <summary>All committed keys.</summary>
    IReadOnlyList<string> List();

    /// <summary>
    /// Removes a snapshot. Fails with Conflict if another snapshot names it as parent.
    /// Unmounts anything left mounted under it first.
    /// </summary>
    Task RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes temporary and half-made snapshots left by a killed process.</summary>
    Task RecoverAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the writable layer of a container (an "active" snapshot named by the container
    /// ID) on top of the committed <paramref name="parentKey"/>. Idempotent.
    /// </summary>
    Task PrepareActiveAsync(string id, string parentKey, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the container's root filesystem available and returns its path: overlay mounts
    /// the layers at the snapshot's <c>merged</c> dir (a no-op when already mounted), the
    /// copying driver returns its tree. Mounts live in the daemon's mount namespace.
    /// </summary>
    Task<string> MountActiveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Unmounts the container's root filesystem if mounted.</summary>
    Task UnmountActiveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Unmounts and deletes the container's writable layer. Absent IDs are ignored.</summary>
    Task RemoveActiveAsync(string id, CancellationToken cancellationToken);

    /// <summary>IDs of all active snapshots (for reconciling with the container store).</summary>
    IReadOnlyList<string> ListActive();

    /// <summary>Bytes the container wrote (the size of its writable layer's own files).</summary>
    long GetActiveSize(string id);
}
