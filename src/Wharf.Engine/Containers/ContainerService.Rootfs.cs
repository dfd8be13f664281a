using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;
using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Files;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Opens a container's root file system for the file endpoints. A running container is
    /// seen through its process (<paramref name="withMounts"/>: binds and tmpfs included) or
    /// through the daemon's mount of its layers; both stay valid by handle even if it exits
    /// meanwhile. A stopped container's layers are mounted for the lease, and its gate is held
    /// until the lease ends so that it cannot start (and mount the same layer again) meanwhile,
    /// as Docker holds the container's lock.
    /// </summary>
    internal async Task<RootfsLease> OpenRootfsAsync(string name, bool withMounts, IRootfsAccess access, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var live = Live(rec.Id);
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var keepGate = false;
        try
        {
            rec = _store.Get(rec.Id) ?? throw WharfException.NotFound($"No such container: {name}");
            if (rec.State.Status is "removing" or "dead")
            {
                throw WharfException.Conflict($"container {rec.Id} is marked for removal");
            }

            if (rec.State.Running)
            {
                if (withMounts && access.TryOpenProcessRoot(rec.State.Pid, rec.Id, name) is { } process)
                {
                    return new RootfsLease(rec, process, running: true, null);
                }

                var merged = await _snapshots.MountActiveAsync(rec.Id, cancellationToken).ConfigureAwait(false);
                return new RootfsLease(rec, access.OpenDirectory(merged, name), running: true, null);
            }

            var path = await _snapshots.MountActiveAsync(rec.Id, cancellationToken).ConfigureAwait(false);
            IContainerRoot root;
            try
            {
                root = access.OpenDirectory(path, name, BindsOf(rec));
            }
            catch
            {
                await _snapshots.UnmountActiveAsync(rec.Id, CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            keepGate = true;
            var id = rec.Id;
            return new RootfsLease(rec, root, running: false, async () =>
            {
                try
                {
                    await _snapshots.UnmountActiveAsync(id, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    live.Gate.Release();
                }
            });
        }
        finally
        {
            if (!keepGate)
            {
                live.Gate.Release();
            }
        }
    }

    /// <summary>
    /// The container's host-path binds (<c>-v /host:/dest[:ro]</c>), parsed without side
    /// effects; anything else (named volumes) is left out.
    /// </summary>
    internal static IReadOnlyList<ContainerMount> BindsOf(ContainerRecord rec)
    {
        var binds = new List<ContainerMount>();
        foreach (var bind in rec.Host.Binds)
        {
            var parts = bind.Split(':');
            if (parts.Length is < 2 or > 3 || !parts[0].StartsWith('/') || !parts[1].StartsWith('/'))
            {
                continue;
            }

            var writable = !(parts.Length == 3 && parts[2].Split(',').Contains("ro"));
            binds.Add(new ContainerMount { Source = parts[0], Destination = parts[1], Writable = writable });
        }

        return binds;
    }

    /// <summary>Publishes a container event with Docker's attributes (labels, image, name).</summary>
    internal void PublishEvent(ContainerRecord rec, string action, params (string Key, string Value)[] extra) => Publish(rec, action, extra);
}
