using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// The fallback where overlayfs is unavailable (Docker's "vfs"): every snapshot's <c>fs/</c> is a
/// full copy of its parent's tree with the layer applied and whiteouts carried out as deletions.
/// Costs disk and time per layer, but needs nothing from the kernel.
/// </summary>
public sealed class CopySnapshotter : StoreSnapshotter
{
    public const string DriverName = "vfs";
    private const string TreeDirectory = "fs";

    public CopySnapshotter(string root)
        : base(root, DriverName)
    {
    }

    public override Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layerTar);
        return Store.CreateAsync(
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
                    await Task.Run(() => TreeCopy.Copy(source, tree), ct).ConfigureAwait(false);
                }

                return await LayerApplier.ApplyAsync(tree, DeletingWhiteoutHandler.Instance, layerTar, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    public override Task<string> MountActiveAsync(string id, CancellationToken cancellationToken)
        => Task.FromResult(GetActiveTreePath(id));

    /// <summary>A container's whole writable tree.</summary>
    public string GetActiveTreePath(string id) => Path.Join(Active.Require(id), TreeDirectory);

    /// <summary>
    /// A copied tree holds the whole filesystem, so the container's own bytes cannot be told
    /// apart from the image's without a diff; this reports the tree's size minus the image's.
    /// </summary>
    public override long GetActiveSize(string id)
    {
        var dir = Active.Require(id);
        return Math.Max(0, ActiveStore.SizeOf(Path.Join(dir, TreeDirectory)) - ActiveStore.SizeOf(GetTreePath(Active.GetParent(id))));
    }

    private protected override void FillActive(string dir, string parentKey)
        => TreeCopy.Copy(GetTreePath(parentKey), Path.Join(dir, TreeDirectory));

    /// <summary>The complete root filesystem of <paramref name="key"/> (read-only by convention).</summary>
    public string GetTreePath(string key) => Path.Join(Store.RequireExisting(key), TreeDirectory);

    /// <summary>
    /// Copies the snapshot's tree to <paramref name="destination"/> (which must not exist),
    /// e.g. to make a container's writable root filesystem.
    /// </summary>
    public Task CopyTreeAsync(string key, string destination, CancellationToken cancellationToken)
    {
        var source = GetTreePath(key);
        return Task.Run(() => TreeCopy.Copy(source, destination), cancellationToken);
    }
}
