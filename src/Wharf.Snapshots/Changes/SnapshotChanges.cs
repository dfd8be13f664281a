using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Core.Snapshots;

namespace Wharf.Snapshots.Changes;

/// <summary>Container layer changes for both snapshotters (see <see cref="ISnapshotChanges"/>).</summary>
public sealed class SnapshotChanges(ISnapshotter snapshotter) : ISnapshotChanges
{
    public Task<IReadOnlyList<FileChange>> GetChangesAsync(string id, IReadOnlySet<string> runtimeMountpoints, CancellationToken cancellationToken)
        => Task.Run<IReadOnlyList<FileChange>>(() => [.. Compute(id, runtimeMountpoints).Changes.Select(c => c.Change)], cancellationToken);

    public async Task WriteDiffAsync(string id, IReadOnlySet<string> runtimeMountpoints, Stream output, CancellationToken cancellationToken)
    {
        var (changes, layerDir) = await Task.Run(() => Compute(id, runtimeMountpoints), cancellationToken).ConfigureAwait(false);
        await DiffTarWriter.WriteAsync(layerDir, changes, output, cancellationToken).ConfigureAwait(false);
    }

    private (List<(FileChange Change, DiffNode Node)> Changes, string LayerDir) Compute(string id, IReadOnlySet<string> runtimeMountpoints)
    {
        switch (snapshotter)
        {
            case OverlaySnapshotter overlay:
            {
                var upper = overlay.GetActiveUpperPath(id);
                var lower = new LowerLayers(overlay.GetDiffPaths(overlay.GetActiveParent(id)));
                var root = OverlayDiffBuilder.Build(upper, lower);
                return (ChangeList.Compute(root, runtimeMountpoints, ChangeRules.Overlay), upper);
            }

            case CopySnapshotter copy:
            {
                var tree = copy.GetActiveTreePath(id);
                var root = TreeDiffBuilder.Build(tree, copy.GetTreePath(copy.GetActiveParent(id)));
                return (ChangeList.Compute(root, runtimeMountpoints, ChangeRules.Tree), tree);
            }

            default:
                throw WharfException.NotImplemented($"changes are not supported by the {snapshotter.Name} storage driver");
        }
    }
}
