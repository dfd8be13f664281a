using System.Globalization;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Formatting;

/// <summary>docker/go-units: HumanSize, BytesSize, HumanDuration; and docker's time layouts.</summary>
internal static class Humanize
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>units.HumanSizeWithPrecision: decimal units, <paramref name="precision"/> significant digits ("1.98MB").</summary>
    public static string Size(double size, int precision = 3) => WithUnit(size, 1000, DecimalUnits, precision);

    /// <summary>units.HumanSize: four significant digits ("1.982MB").</summary>
    public static string SizeDefault(double size) => Size(size, 4);

    /// <summary>units.BytesSize: binary units, four significant digits ("23.54GiB").</summary>
    public static string BytesSize(double size) => WithUnit(size, 1024, BinaryUnits, 4);

    private static string WithUnit(double size, double unitBase, string[] units, int precision)
    {
        int i = 0;
        while (size >= unitBase && i < units.Length - 1)
        {
            size /= unitBase;
            i++;
        }
        return GoFloat.Format(size, 'g', precision) + units[i];
    }

    /// <summary>units.HumanDuration ("Less than a second", "About an hour", "2 days").</summary>
    public static string Duration(TimeSpan d)
    {
        long seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }
        if (seconds == 1)
        {
            return "1 second";
        }
        if (seconds < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds");
        }
        long minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }
        if (minutes < 60)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{minutes} minutes");
        }
        long hours = (long)(d.TotalHours + 0.5);
        if (hours == 1)
        {
            return "About an hour";
        }
        if (hours < 48)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours} hours");
        }
        if (hours < 24 * 7 * 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours / 24} days");
        }
        if (hours < 24 * 30 * 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 7} weeks");
        }
        if (hours < 24 * 365 * 2)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{hours / 24 / 30} months");
        }
        return string.Create(CultureInfo.InvariantCulture, $"{(long)d.TotalHours / 24 / 365} years");
    }

    /// <summary>"2 days ago" for a unix time in seconds.</summary>
    public static string Since(long unixSeconds, DateTimeOffset now) =>
        Duration(now - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    /// <summary>Go's time.Time.String() for a local time: "2026-11-22 10:00:00 +0000 UTC".</summary>
    public static string GoTimeString(DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, TimeZoneInfo.Local);
        return local.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + GoOffset(local.Offset, colon: false) + " " + ZoneAbbreviation(local);
    }

    /// <summary>RFC 3339 in local time, as Go's time.RFC3339 ("2026-11-22T10:00:00Z" in UTC).</summary>
    public static string Rfc3339(DateTimeOffset t)
    {
        var local = TimeZoneInfo.ConvertTime(t, TimeZoneInfo.Local);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (local.Offset == TimeSpan.Zero ? "Z" : GoOffset(local.Offset, colon: true));
    }

    /// <summary>Go's RFC3339Nano with fixed nine digits (docker's events "2006-01-02T15:04:05.000000000Z07:00").</summary>
    public static string Rfc3339NanoFixed(long unixNanos)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(unixNanos / 100);
        var local = TimeZoneInfo.ConvertTime(t, TimeZoneInfo.Local);
        long nanos = ((unixNanos % 1_000_000_000) + 1_000_000_000) % 1_000_000_000;
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture)
            + (local.Offset == TimeSpan.Zero ? "Z" : GoOffset(local.Offset, colon: true));
    }

    private static string GoOffset(TimeSpan offset, bool colon)
    {
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + (colon ? ":" : "") + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string ZoneAbbreviation(DateTimeOffset local)
    {
        if (TimeZoneInfo.Local.Id is "UTC" or "Etc/UTC" or "Universal" || TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero && local.Offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var sign = local.Offset < TimeSpan.Zero ? "-" : "+";
        var abs = local.Offset.Duration();
        return abs.Minutes == 0 ? sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) : sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>stringid.TruncateID: drops the algorithm prefix and keeps 12 characters.</summary>
    public static string ShortId(string id)
    {
        int colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>docker's formatter.Ellipsis: at most <paramref name="max"/> characters, the last being "…".</summary>
    public static string Ellipsis(string s, int max)
    {
        if (max <= 0)
        {
            return "";
        }
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count <= max)
        {
            return s;
        }
        if (max == 1)
        {
            return runes[0].ToString();
        }
        return string.Concat(runes.Take(max - 1).Select(r => r.ToString())) + "…";
    }
}
