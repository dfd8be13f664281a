using System.Globalization;
using System.Text;

namespace Wharf.Engine.Health;

/// <summary>Go's <c>time.Duration.String()</c> ("500ms", "1s", "1m30s", "1.5s"), as Docker's timeout message shows it.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan d)
    {
        long ns = d.Ticks * 100;
        if (ns == 0)
        {
            return "0s";
        }
        var negative = ns < 0;
        var u = (ulong)Math.Abs(ns);
        string text;
        if (u < 1_000_000_000)
        {
            // Below a second: the largest unit that keeps a non-zero integer part.
            (ulong unit, string suffix) = u < 1_000 ? (1UL, "ns") : u < 1_000_000 ? (1_000UL, "µs") : (1_000_000UL, "ms");
            text = Fraction(u, unit) + suffix;
        }
        else
        {
            var sb = new StringBuilder();
            var hours = u / 3_600_000_000_000;
            u -= hours * 3_600_000_000_000;
            var minutes = u / 60_000_000_000;
            u -= minutes * 60_000_000_000;
            if (hours > 0)
            {
                sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }
            if (hours > 0 || minutes > 0)
            {
                sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
            }
            sb.Append(Fraction(u, 1_000_000_000)).Append('s');
            text = sb.ToString();
        }
        return negative ? "-" + text : text;
    }

    /// <summary>value/unit with the fraction's trailing zeros dropped.</summary>
    private static string Fraction(ulong value, ulong unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var rest = value % unit;
        if (rest == 0)
        {
            return whole;
        }
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
