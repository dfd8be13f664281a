using System.Globalization;

namespace Wharf.Engine.Containers;

/// <summary>Docker's parsers.ParseUintList for cpuset lists ("0-3,5") and its availability check.</summary>
internal static class CpuList
{
    /// <summary>Linux's usual CPU maximum; Docker accepts numbers up to it (or the highest available one).</summary>
    private const int DefaultMaximum = 8192;

    /// <summary>The numbers in <paramref name="list"/>; FormatException carries Docker's message.</summary>
    public static HashSet<int> Parse(string list, int maximum = int.MaxValue)
    {
        var result = new HashSet<int>();
        if (list.Length == 0)
        {
            return result;
        }

        var invalid = new FormatException("invalid format: " + list);
        foreach (var part in list.Split(','))
        {
            int lo, hi;
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                lo = hi = Atoi(part) ?? throw invalid;
            }
            else
            {
                lo = Atoi(part[..dash]) ?? throw invalid;
                hi = Atoi(part[(dash + 1)..]) ?? throw invalid;
                if (hi < lo)
                {
                    throw invalid;
                }
            }

            if (hi > maximum)
            {
                throw new FormatException($"value of out range, maximum is {maximum}");
            }

            for (var i = lo; i <= hi; i++)
            {
                result.Add(i);
            }
        }

        return result;
    }

    /// <summary>Whether every number of <paramref name="requested"/> is in <paramref name="available"/>.</summary>
    public static bool IsAvailable(string requested, string available)
    {
        var have = Parse(available);
        var maximum = Math.Max(DefaultMaximum, have.Count == 0 ? 0 : have.Max());
        return Parse(requested, maximum).All(have.Contains);
    }

    private static int? Atoi(string s) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
}
