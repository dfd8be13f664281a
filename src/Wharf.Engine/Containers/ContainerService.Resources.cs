using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>The seam <see cref="ContainerResourceService"/> uses: a host-settings change under the container's gate, and events.</summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Replaces a container's host settings with what <paramref name="change"/> computes from the
    /// current record, under its lifecycle gate so no start or exit interleaves. When the container
    /// runs, <paramref name="applyLive"/> runs first; if it fails nothing is stored (Docker restores
    /// the old HostConfig the same way). Publishes <c>update</c>.
    /// </summary>
    internal async Task<ContainerRecord> UpdateHostAsync(string id, Func<ContainerRecord, ContainerRecord> change, Func<ContainerRecord, Task> applyLive, CancellationToken cancellationToken)
    {
        var live = Live(id);
        ContainerRecord next;
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _store.Get(id) ?? throw WharfException.NotFound($"No such container: {id}");
            if (current.State.Status is "removing" or "dead")
            {
                throw new WharfException(ErrorKind.Internal, $"Cannot update container {id}: container is marked for removal and cannot be \"update\"");
            }

            next = change(current);
            if (current.State.Running && current.State.Status != "restarting")
            {
                await applyLive(next).ConfigureAwait(false);
            }

            next = _store.Update(id, r => r with { Host = next.Host, HostConfigJson = next.HostConfigJson });
        }
        finally
        {
            live.Gate.Release();
        }

        Publish(next, "update");
        return next;
    }

    /// <summary>Publishes a container event with Docker's attributes (labels, image, name).</summary>
    internal void PublishEvent(ContainerRecord rec, string action) => Publish(rec, action);
}
