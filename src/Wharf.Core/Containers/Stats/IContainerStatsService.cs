namespace Wharf.Core.Containers.Stats;

/// <summary>Observing a running container: resource usage (<c>/stats</c>) and its processes (<c>/top</c>).</summary>
public interface IContainerStatsService
{
    /// <summary>
    /// Checks that the container exists, then yields samples as Docker does: with
    /// <paramref name="stream"/> one per second until the container is removed or the caller stops;
    /// without it one sample, taken after a second one so the previous CPU reading is filled, unless
    /// <paramref name="oneShot"/>. A container that is not running gives empty samples.
    /// </summary>
    Task<IAsyncEnumerable<ContainerStatsFrame>> StatsAsync(string name, bool stream, bool oneShot, CancellationToken cancellationToken);

    /// <summary>Runs the host's ps with <paramref name="psArgs"/> (default <c>-ef</c>) and keeps the container's processes.</summary>
    Task<ContainerTop> TopAsync(string name, string? psArgs, CancellationToken cancellationToken);
}
