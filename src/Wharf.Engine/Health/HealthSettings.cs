using Wharf.Oci.Image;

namespace Wharf.Engine.Health;

/// <summary>A container's effective health check with Docker's defaults filled in (moby daemon/health.go).</summary>
internal sealed record HealthSettings(IReadOnlyList<string> Command, TimeSpan Interval, TimeSpan Timeout, TimeSpan StartPeriod, TimeSpan StartInterval, int Retries)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultStartInterval = TimeSpan.FromSeconds(5);
    public const int DefaultRetries = 3;

    /// <summary>
    /// Null when there is nothing to run: no check, <c>NONE</c>, an empty test, or a test type
    /// dockerd does not know (it logs a warning and runs no monitor).
    /// </summary>
    public static HealthSettings? From(HealthConfig? config, IReadOnlyList<string>? shell)
    {
        if (config?.Test is not { Count: > 0 } test)
        {
            return null;
        }
        IReadOnlyList<string>? command = test[0] switch
        {
            "CMD" when test.Count > 1 => [.. test.Skip(1)],
            "CMD-SHELL" when test.Count > 1 => [.. (shell is { Count: > 0 } ? shell : ["/bin/sh", "-c"]), string.Join(' ', test.Skip(1))],
            _ => null,
        };
        if (command is null)
        {
            return null;
        }
        return new HealthSettings(
            command,
            OrDefault(config.Interval, DefaultInterval),
            OrDefault(config.Timeout, DefaultTimeout),
            OrDefault(config.StartPeriod, TimeSpan.Zero),
            OrDefault(config.StartInterval, DefaultStartInterval),
            config.Retries > 0 ? config.Retries : DefaultRetries);
    }

    private static TimeSpan OrDefault(long nanoseconds, TimeSpan fallback) => nanoseconds > 0 ? TimeSpan.FromTicks(nanoseconds / 100) : fallback;
}
