using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// The fallback where overlayfs is unavailable (Docker's "vfs"): every snapshot's <c>fs/</c> is a
/// full copy of its parent's tree with the layer applied and whiteouts carried out as deletions.
/// Costs disk and time per layer, but needs nothing from the kernel.
/// </summary>
public sealed class CopySnapshotter : ISnapshotter
{
    public const string DriverName = "vfs";
    private const string TreeDirectory = "fs";

    private readonly SnapshotStore _store;

    public CopySnapshotter(string root)
    {
        _store = new SnapshotStore(Path.Join(root, DriverName));
    }

    public string Name => DriverName;

    public bool Exists(string key) => _store.Exists(key);

    public Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layerTar);
        return _store.CreateAsync(
            key,
            parentKey,
            async (dir, ct) =>
            {
                var tree = Path.Join(dir, TreeDirectory);
                if (parentKey is null)
                {
                    Posix.MakeDirectory(tree, 0b111_101_101);
                }
                else
                {
                    var source = GetTreePath(parentKey);
                    await Task.Run(() => FileTree.Copy(source, tree), ct).ConfigureAwait(false);
                }

                return await LayerApplier.ApplyAsync(tree, DeletingWhiteoutHandler.Instance, layerTar, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public string? GetParent(string key) => _store.GetParent(key);

    public long GetSize(string key) => _store.GetSize(key);

    public IReadOnlyList<string> List() => _store.List();

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => _store.RemoveAsync(key, cancellationToken);

    public Task RecoverAsync(CancellationToken cancellationToken) => _store.RecoverAsync(cancellationToken);

    /// <summary>The complete root filesystem of <paramref name="key"/> (read-only by convention).</summary>
    public string GetTreePath(string key) => Path.Join(_store.RequireExisting(key), TreeDirectory);

    /// <summary>
    /// Copies the snapshot's tree to <paramref name="destination"/> (which must not exist),
    /// e.g. to make a container's writable root filesystem.
    /// </summary>
    public Task CopyTreeAsync(string key, string destination, CancellationToken cancellationToken)
    {
        var source = GetTreePath(key);
        return Task.Run(() => FileTree.Copy(source, destination), cancellationToken);
    }
}
