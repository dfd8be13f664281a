using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Core.Filters;

/// <summary>
/// Docker's time arguments (since/until filters): Unix seconds with optional fraction,
/// RFC 3339 timestamps, or Go durations relative to now ("10m", "1h30m").
/// </summary>
public static class TimeFilter
{
    public static DateTimeOffset Parse(string value, DateTimeOffset now)
    {
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var secs))
        {
            return DateTimeOffset.UnixEpoch.AddTicks((long)(secs * TimeSpan.TicksPerSecond));
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }

        if (TryParseDuration(value, out var d))
        {
            return now - d;
        }

        throw WharfException.Invalid($"failed to parse value as time or duration: \"{value}\"");
    }

    public static bool TryParseDuration(string s, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (s.Length == 0)
        {
            return false;
        }

        var i = 0;
        var neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            i++;
        }

        var any = false;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var us = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            double unitTicks = s[us..i] switch
            {
                "ns" => 0.01,
                "us" or "µs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1,
            };
            if (unitTicks < 0)
            {
                return false;
            }

            result += TimeSpan.FromTicks((long)(n * unitTicks));
            any = true;
        }

        if (neg)
        {
            result = -result;
        }

        return any;
    }
}
