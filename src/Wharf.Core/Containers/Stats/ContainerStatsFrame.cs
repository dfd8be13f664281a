namespace Wharf.Core.Containers.Stats;

/// <summary>
/// One object of a stats answer: the current reading and the one before it (for CPU %). A null
/// <see cref="Current"/> is Docker's empty sample of a container that is not running.
/// </summary>
public sealed record ContainerStatsFrame(string Id, string Name, ResourceSample? Current, ResourceSample? Previous);
