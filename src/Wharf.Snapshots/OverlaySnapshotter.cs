using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// Snapshots as overlayfs upper-dir trees: <c>&lt;root&gt;/overlay2/&lt;hex&gt;/diff</c> holds only
/// the layer's own files, with whiteouts as 0:0 char devices and opaque dirs marked by xattr,
/// so the diff dirs of a chain can be stacked directly as <c>lowerdir=</c>.
/// </summary>
public sealed class OverlaySnapshotter : ISnapshotter
{
    public const string DriverName = "overlay2";
    private const string DiffDirectory = "diff";

    private readonly SnapshotStore _store;

    public OverlaySnapshotter(string root)
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
            (dir, ct) =>
            {
                var diff = Path.Join(dir, DiffDirectory);
                Posix.MakeDirectory(diff, 0b111_101_101);
                return LayerApplier.ApplyAsync(diff, OverlayWhiteoutHandler.Instance, layerTar, ct);
            },
            cancellationToken);
    }

    public string? GetParent(string key) => _store.GetParent(key);

    public long GetSize(string key) => _store.GetSize(key);

    public IReadOnlyList<string> List() => _store.List();

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => _store.RemoveAsync(key, cancellationToken);

    public Task RecoverAsync(CancellationToken cancellationToken) => _store.RecoverAsync(cancellationToken);

    /// <summary>The diff dir of <paramref name="key"/> alone.</summary>
    public string GetDiffPath(string key) => Path.Join(_store.RequireExisting(key), DiffDirectory);

    /// <summary>
    /// The diff dirs of <paramref name="key"/> and its ancestors, top (the key itself) first:
    /// the order overlayfs expects in <c>lowerdir=a:b:c</c>.
    /// </summary>
    public IReadOnlyList<string> GetDiffPaths(string key)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = key; current is not null; current = _store.GetParent(current))
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
