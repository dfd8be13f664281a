using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// Snapshots as overlayfs upper-dir trees: <c>&lt;root&gt;/overlay2/&lt;hex&gt;/diff</c> holds only
/// the layer's own files, with whiteouts as 0:0 char devices and opaque dirs marked by xattr,
/// so the diff dirs of a chain can be stacked directly as <c>lowerdir=</c>.
/// </summary>
public sealed class OverlaySnapshotter : StoreSnapshotter
{
    public const string DriverName = "overlay2";
    private const string DiffDirectory = "diff";

    public OverlaySnapshotter(string root)
        : base(root, DriverName)
    {
    }

    public override Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layerTar);
        return Store.CreateAsync(
            key,
            parentKey,
            (dir, ct) =>
            {
                var diff = Path.Join(dir, DiffDirectory);
                Posix.MakeDirectory(diff, 0b111_101_101);
                return LayerApplier.ApplyAsync(diff, OverlayWhiteoutHandler.Instance, layerTar, ct);
            },
            cancellationToken);
    }

    /// <summary>The diff dir of <paramref name="key"/> alone.</summary>
    public string GetDiffPath(string key) => Path.Join(Store.RequireExisting(key), DiffDirectory);

    /// <summary>
    /// The diff dirs of <paramref name="key"/> and its ancestors, top (the key itself) first:
    /// the order overlayfs expects in <c>lowerdir=a:b:c</c>.
    /// </summary>
    public IReadOnlyList<string> GetDiffPaths(string key)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = key; current is not null; current = Store.GetParent(current))
        {
            if (!seen.Add(current))
            {
                throw new InvalidOperationException($"snapshot parent chain of {key} has a cycle at {current}");
            }

            result.Add(GetDiffPath(current));
        }

        return result;
    }
}
