using System.Runtime.CompilerServices;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerResourceService
{
    /// <summary>Docker's collector samples every container once a second.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public Task<IAsyncEnumerable<ContainerStatsFrame>> StatsAsync(string name, bool stream, bool oneShot, CancellationToken cancellationToken)
    {
        var rec = _containers.Inspect(name);
        return Task.FromResult(FramesAsync(rec.Id, stream, oneShot, cancellationToken));
    }

    /// <summary>
    /// moby daemon.ContainerStats: each frame carries the previous reading as precpu; without
    /// streaming the first reading only primes precpu (unless one-shot), and a container that is
    /// not running gives one empty frame. A stream ends when the container is removed.
    /// </summary>
    private async IAsyncEnumerable<ContainerStatsFrame> FramesAsync(string id, bool stream, bool oneShot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rec = Find(id);
        if (rec is null)
        {
            yield break;
        }

        if (!IsUp(rec) && !stream)
        {
            yield return new ContainerStatsFrame(rec.Id, "/" + rec.Name, null, null);
            yield break;
        }

        ResourceSample? previous = null;
        var primed = stream || oneShot;
        while (true)
        {
            rec = Find(id);
            if (rec is null)
            {
                yield break;
            }

            var current = IsUp(rec) ? _metrics.Sample(rec.State.Pid, WithNetworks(rec)) : null;
            if (primed)
            {
                yield return new ContainerStatsFrame(rec.Id, "/" + rec.Name, current, previous);
                if (!stream)
                {
                    yield break;
                }
            }

            primed = true;
            previous = current;
            await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private ContainerRecord? Find(string id)
    {
        try
        {
            return _containers.Inspect(id);
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>Docker lists the endpoints' interfaces: none for host and none networks.</summary>
    private static bool WithNetworks(ContainerRecord rec) => rec.Host.NetworkMode is not ("host" or "none");
}
