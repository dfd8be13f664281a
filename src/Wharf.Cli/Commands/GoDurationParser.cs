using System.Globalization;

namespace Wharf.Cli.Commands;

/// <summary>Go's <c>time.ParseDuration</c>, which docker's duration flags use: "1.5s", "1m30s", "500ms", "0".</summary>
internal static class GoDurationParser
{
    /// <summary>Nanoseconds, or null with Go's error text in <paramref name="error"/>.</summary>
    public static long? TryParse(string text, out string error)
    {
        error = "";
        string quoted = "\"" + text + "\"";
        var s = text;
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0")
        {
            return 0;
        }
        if (s.Length == 0)
        {
            error = "time: invalid duration " + quoted;
            return null;
        }
        decimal total = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }
            var number = s[..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                error = "time: invalid duration " + quoted;
                return null;
            }
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.')
            {
                j++;
            }
            var unit = s[..j];
            s = s[j..];
            if (unit.Length == 0)
            {
                error = "time: missing unit in duration " + quoted;
                return null;
            }
            decimal scale = unit switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            if (scale < 0)
            {
                error = "time: unknown unit \"" + unit + "\" in duration " + quoted;
                return null;
            }
            total += value * scale;
            if (total > long.MaxValue)
            {
                error = "time: invalid duration " + quoted;
                return null;
            }
        }
        var ns = (long)total;
        return negative ? -ns : ns;
    }
}
