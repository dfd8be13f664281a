using Wharf.Core.Errors;
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

    public override async Task<string> MountActiveAsync(string id, CancellationToken cancellationToken)
    {
        var dir = Active.Require(id);
        var merged = Path.Join(dir, "merged");
        if (ActiveStore.IsMounted(merged))
        {
            return merged;
        }

        var lower = string.Join(':', GetDiffPaths(Active.GetParent(id)));
        var options = $"lowerdir={lower},upperdir={Path.Join(dir, "upper")},workdir={Path.Join(dir, "work")}";
        if (options.Length >= 4000)
        {
            // The kernel takes at most one page of mount options.
            throw WharfException.Invalid($"image has too many layers for one overlay mount ({options.Length} bytes of options)");
        }

        await Task.Run(() => Posix.Mount("overlay", merged, "overlay", MountFlags.None, options), cancellationToken).ConfigureAwait(false);
        return merged;
    }

    public override long GetActiveSize(string id) => ActiveStore.SizeOf(Path.Join(Active.Require(id), "upper"));

    /// <summary>The writable layer's upper dir: the files the container changed.</summary>
    public string GetActiveUpperPath(string id) => Path.Join(Active.Require(id), "upper");

    private protected override void FillActive(string dir, string parentKey)
    {
        foreach (var sub in new[] { "upper", "work", "merged" })
        {
            Posix.MakeDirectory(Path.Join(dir, sub), 0b111_101_101);
        }
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
