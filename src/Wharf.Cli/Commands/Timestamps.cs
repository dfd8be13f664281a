using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>docker's timetypes.GetTimestamp: durations ("10m") relative to now, unix seconds, or dates.</summary>
internal static partial class Timestamps
{
    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^-?\d+(\.\d{1,9})?$")]
    private static partial Regex UnixPattern();

    public static string ToApi(string value, DateTimeOffset now)
    {
        if (DurationPattern().IsMatch(value))
        {
            double seconds = 0;
            foreach (Match m in DurationPart().Matches(value))
            {
                double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                seconds += m.Groups[2].Value switch
                {
                    "ns" => n / 1e9,
                    "us" or "µs" => n / 1e6,
                    "ms" => n / 1e3,
                    "s" => n,
                    "m" => n * 60,
                    _ => n * 3600,
                };
            }
            return Format(now - TimeSpan.FromSeconds(seconds));
        }
        if (UnixPattern().IsMatch(value))
        {
            return value;
        }
        string[] layouts = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd"];
        bool hasZone = value.EndsWith('Z') || Regex.IsMatch(value, @"[+-]\d\d:\d\d$");
        if (DateTimeOffset.TryParseExact(value, layouts, CultureInfo.InvariantCulture,
                hasZone ? DateTimeStyles.None : DateTimeStyles.AssumeLocal, out var t))
        {
            return Format(t);
        }
        throw new CliErrorException($"failed to parse value as time or duration: \"{value}\"");
    }

    private static string Format(DateTimeOffset t)
    {
        long ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rem);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{rem * 100:D9}");
    }
}
