using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;

namespace Wharf.Engine.Containers;

/// <summary>
/// Stats, top and update: what a running container uses and may use. Reads go through the
/// metrics reader and the host's ps; updates through <see cref="ContainerService"/>'s gate and the
/// runtime's in-place resource update.
/// </summary>
public sealed partial class ContainerResourceService : IContainerStatsService, IContainerUpdateService
{
    private readonly ContainerService _containers;
    private readonly IContainerMetrics _metrics;
    private readonly IHostProcessLister _ps;
    private readonly IContainerResourceUpdater _updater;
    private readonly TimeProvider _time;

    public ContainerResourceService(ContainerService containers, IContainerMetrics metrics, IHostProcessLister ps, IContainerResourceUpdater updater, TimeProvider time)
    {
        _containers = containers;
        _metrics = metrics;
        _ps = ps;
        _updater = updater;
        _time = time;
    }

    /// <summary>Docker's IsRunning() and not IsRestarting(): paused containers have stats and processes.</summary>
    private static bool IsUp(ContainerRecord rec) => rec.State.Running && rec.State.Status != "restarting" && rec.State.Pid > 0;
}
