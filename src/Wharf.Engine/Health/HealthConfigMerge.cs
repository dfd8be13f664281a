using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Engine.Health;

/// <summary>Create-time rules for Config.Healthcheck (moby: merge with the image's, then validateHealthCheck).</summary>
internal static class HealthConfigMerge
{
    private const long MinimumNanos = 1_000_000; // 1ms

    /// <summary>
    /// No check given: the image's. A check without Test takes the image's Test; each zero duration
    /// or retry count takes the image's value.
    /// </summary>
    public static HealthConfig? Merge(HealthConfig? user, HealthConfig? image)
    {
        if (user is null)
        {
            return image;
        }
        if (image is null)
        {
            return user;
        }
        return user with
        {
            Test = user.Test is { Count: > 0 } ? user.Test : image.Test,
            Interval = user.Interval != 0 ? user.Interval : image.Interval,
            Timeout = user.Timeout != 0 ? user.Timeout : image.Timeout,
            StartPeriod = user.StartPeriod != 0 ? user.StartPeriod : image.StartPeriod,
            StartInterval = user.StartInterval != 0 ? user.StartInterval : image.StartInterval,
            Retries = user.Retries != 0 ? user.Retries : image.Retries,
        };
    }

    public static void Validate(HealthConfig? config)
    {
        if (config is null)
        {
            return;
        }
        Check(config.Interval, "Interval");
        Check(config.Timeout, "Timeout");
        Check(config.StartPeriod, "StartPeriod");
        Check(config.StartInterval, "StartInterval");
        if (config.Retries < 0)
        {
            throw WharfException.Invalid("Retries in Healthcheck cannot be negative");
        }
    }

    private static void Check(long nanos, string name)
    {
        if (nanos != 0 && nanos < MinimumNanos)
        {
            throw WharfException.Invalid($"{name} in Healthcheck cannot be less than 1ms");
        }
    }
}
