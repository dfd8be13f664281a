using Wharf.Core.Snapshots;

namespace Wharf.Snapshots;

/// <summary>
/// What both snapshotters share: bookkeeping (parent, size, listing, removal, recovery) lives in
/// a <see cref="SnapshotStore"/>; a subclass decides only how a layer becomes a directory.
/// </summary>
public abstract class StoreSnapshotter : ISnapshotter
{
    private protected StoreSnapshotter(string root, string driverName)
    {
        Name = driverName;
        Store = new SnapshotStore(Path.Join(root, driverName));
    }

    public string Name { get; }

    private protected SnapshotStore Store { get; }

    public bool Exists(string key) => Store.Exists(key);

    public abstract Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken);

    public string? GetParent(string key) => Store.GetParent(key);

    public long GetSize(string key) => Store.GetSize(key);

    public IReadOnlyList<string> List() => Store.List();

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => Store.RemoveAsync(key, cancellationToken);

    public Task RecoverAsync(CancellationToken cancellationToken) => Store.RecoverAsync(cancellationToken);
}
