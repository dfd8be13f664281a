namespace Wharf.Core.Containers;

/// <summary><c>State.Health</c>: starting, healthy or unhealthy, the current failing streak and the last 5 probes.</summary>
public sealed record HealthStatus
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    public string Status { get; init; } = Starting;

    public int FailingStreak { get; init; }

    public IReadOnlyList<HealthProbeResult> Log { get; init; } = [];
}
