using Wharf.Core.Containers;

namespace Wharf.Engine.Health;

/// <summary>Docker's health state machine (moby <c>handleProbeResult</c> and <c>monitor</c>), pure so it is tested alone.</summary>
internal static class HealthMachine
{
    public const int MaxLogEntries = 5;
    public const int MaxOutputBytes = 4096;

    /// <summary>
    /// Applies one probe result: exit 0 makes it healthy and clears the streak; anything else is a
    /// failure that counts unless the container is still starting within its start period; the
    /// streak reaching Retries makes it unhealthy. The log keeps the last 5 results.
    /// </summary>
    public static HealthStatus Apply(HealthStatus current, HealthProbeResult result, HealthSettings settings, DateTimeOffset startedAt)
    {
        var log = current.Log.Append(result).ToList();
        if (log.Count > MaxLogEntries)
        {
            log.RemoveRange(0, log.Count - MaxLogEntries);
        }
        if (result.ExitCode == 0)
        {
            return new HealthStatus { Status = HealthStatus.Healthy, FailingStreak = 0, Log = log };
        }

        var counts = !(current.Status == HealthStatus.Starting && result.Start - startedAt < settings.StartPeriod);
        if (!counts)
        {
            return current with { Log = log };
        }
        var streak = current.FailingStreak + 1;
        return current with
        {
            FailingStreak = streak,
            Status = streak >= settings.Retries ? HealthStatus.Unhealthy : current.Status,
            Log = log,
        };
    }

    /// <summary>The wait before the next probe: StartInterval while starting within the start period, else Interval.</summary>
    public static TimeSpan NextInterval(HealthSettings settings, string status, DateTimeOffset startedAt, DateTimeOffset now)
        => now - startedAt < settings.StartPeriod && status == HealthStatus.Starting ? settings.StartInterval : settings.Interval;

    /// <summary>Docker keeps the first 4096 bytes of a probe's output and marks a cut with "...".</summary>
    public static string Output(byte[] buffer, int length, bool truncated)
    {
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxOutputBytes));
        return truncated ? text + "..." : text;
    }
}
