using Wharf.Core.Snapshots;
using Wharf.Linux;

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
        Active = new ActiveStore(Path.Join(root, driverName + "-containers"));
    }

    public string Name { get; }

    private protected SnapshotStore Store { get; }

    private protected ActiveStore Active { get; }

    public bool Exists(string key) => Store.Exists(key);

    public abstract Task<long> ApplyLayerAsync(string key, string? parentKey, Stream layerTar, CancellationToken cancellationToken);

    public string? GetParent(string key) => Store.GetParent(key);

    public long GetSize(string key) => Store.GetSize(key);

    public IReadOnlyList<string> List() => Store.List();

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => Store.RemoveAsync(key, cancellationToken);

    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        Active.Recover();
        return Store.RecoverAsync(cancellationToken);
    }

    public Task PrepareActiveAsync(string id, string parentKey, CancellationToken cancellationToken)
    {
        Store.RequireExisting(parentKey);
        return Task.Run(() => Active.Create(id, parentKey, dir => FillActive(dir, parentKey)), cancellationToken);
    }

    public abstract Task<string> MountActiveAsync(string id, CancellationToken cancellationToken);

    public Task UnmountActiveAsync(string id, CancellationToken cancellationToken)
    {
        MountTable.UnmountAllUnder(Active.Require(id));
        return Task.CompletedTask;
    }

    public Task RemoveActiveAsync(string id, CancellationToken cancellationToken) => Task.Run(() => Active.Remove(id), cancellationToken);

    public IReadOnlyList<string> ListActive() => Active.List();

    public abstract long GetActiveSize(string id);

    /// <summary>The committed snapshot a container's writable layer was made on.</summary>
    public string GetActiveParent(string id) => Active.GetParent(id);

    /// <summary>Builds the driver's directories for a new writable layer in <paramref name="dir"/>.</summary>
    private protected abstract void FillActive(string dir, string parentKey);
}
