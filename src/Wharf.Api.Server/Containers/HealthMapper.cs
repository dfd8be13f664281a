using Wharf.Api.Containers;
using Wharf.Core.Containers;

namespace Wharf.Api.Server.Containers;

/// <summary>State.Health on the wire and its part of the <c>docker ps</c> Status column.</summary>
internal static class HealthMapper
{
    public static HealthState ToWire(HealthStatus h) => new()
    {
        Status = h.Status,
        FailingStreak = h.FailingStreak,
        Log = [.. h.Log.Select(l => new HealthLog
        {
            Start = ImageMapper.FormatTime(l.Start),
            End = ImageMapper.FormatTime(l.End),
            ExitCode = l.ExitCode,
            Output = l.Output,
        })],
    };

    /// <summary>dockerd's <c>State.String()</c>: "Up 3 seconds (healthy)", "(health: starting)", "(unhealthy)".</summary>
    public static string StatusSuffix(HealthStatus? h) => h?.Status switch
    {
        HealthStatus.Starting => " (health: starting)",
        HealthStatus.Healthy => " (healthy)",
        HealthStatus.Unhealthy => " (unhealthy)",
        _ => "",
    };
}
