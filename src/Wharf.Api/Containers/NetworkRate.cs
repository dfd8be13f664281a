using System.Globalization;

namespace Wharf.Api.Containers;

/// <summary>
/// Wharf's per-container bandwidth limits, an extension Docker does not have: the labels that ask
/// for them through any Docker client, and rates written as tc writes them (bits per second, with
/// an optional decimal or binary bit unit). A rate of 0 means no limit.
/// </summary>
public static class NetworkRate
{
    /// <summary>Label for the rate of traffic into the container (e.g. <c>10mbit</c>).</summary>
    public const string IngressLabel = "io.wharf.network.rate.ingress";

    /// <summary>Label for the rate of traffic out of the container.</summary>
    public const string EgressLabel = "io.wharf.network.rate.egress";

    /// <summary>The smallest limit accepted: 1 kbit/s.</summary>
    public const long Minimum = 1_000;

    /// <summary>The largest limit accepted: 1 tbit/s.</summary>
    public const long Maximum = 1_000_000_000_000;

    private static readonly (string Unit, long Factor)[] Units =
    [
        ("bit", 1),
        ("kbit", 1_000),
        ("mbit", 1_000_000),
        ("gbit", 1_000_000_000),
        ("tbit", 1_000_000_000_000),
        ("kibit", 1L << 10),
        ("mibit", 1L << 20),
        ("gibit", 1L << 30),
        ("tibit", 1L << 40),
    ];

    /// <summary>What a valid rate looks like, for error messages.</summary>
    public const string Syntax = "a number of bits per second with an optional unit (bit, kbit, mbit, gbit, tbit, kibit, mibit, gibit, tibit), from 1kbit to 1tbit, or 0 for no limit";

    /// <summary>
    /// Parses <c>8000000</c>, <c>8mbit</c>, <c>1.5gbit</c>, <c>512kibit</c> (units case-insensitive)
    /// into bits per second. Byte units (tc's <c>bps</c>, <c>kbps</c>, ...) are refused: they are
    /// too easily read as bits.
    /// </summary>
    public static bool TryParse(string? text, out long bitsPerSecond)
    {
        bitsPerSecond = 0;
        var s = (text ?? "").Trim();
        var end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !decimal.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var unit = s[end..].Trim().ToLowerInvariant();
        long factor = 1;
        if (unit.Length > 0)
        {
            var match = Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null)
            {
                return false;
            }

            factor = match.Factor;
        }

        if (number > Maximum / (decimal)factor)
        {
            return false;
        }

        var value = (long)decimal.Round(number * factor, MidpointRounding.AwayFromZero);
        if (value != 0 && !IsValid(value))
        {
            return false;
        }

        bitsPerSecond = value;
        return true;
    }

    /// <summary>Whether a non-zero rate in bits per second is inside the accepted range.</summary>
    public static bool IsValid(long bitsPerSecond) => bitsPerSecond is >= Minimum and <= Maximum;

    /// <summary>A rate for people: the largest decimal unit that keeps it whole (<c>8mbit</c>, <c>1500kbit</c>, <c>1234bit</c>).</summary>
    public static string Format(long bitsPerSecond)
    {
        foreach (var (unit, factor) in new[] { ("tbit", 1_000_000_000_000L), ("gbit", 1_000_000_000L), ("mbit", 1_000_000L), ("kbit", 1_000L) })
        {
            if (bitsPerSecond != 0 && bitsPerSecond % factor == 0)
            {
                return (bitsPerSecond / factor).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit";
    }
}
