namespace Wharf.Core.Containers.Stats;

/// <summary>Tasks in the container's pids cgroup and its limit (0 when unlimited).</summary>
public sealed record PidsSample(ulong Current = 0, ulong Limit = 0);
