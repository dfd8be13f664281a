using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>Signal names and numbers as Docker accepts them ("SIGTERM", "TERM", "15", "SIGRTMIN+3").</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7,
        ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14,
        ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21,
        ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28,
        ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    public const int Kill = 9;
    public const int Term = 15;

    public static int Parse(string? value, int fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 64)
        {
            return n;
        }

        var name = value.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? value[3..] : value;
        if (Numbers.TryGetValue(name, out var known))
        {
            return known;
        }

        if (name.StartsWith("RTMIN", StringComparison.OrdinalIgnoreCase))
        {
            var off = name.Length == 5 ? 0 : int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var o) && name[5] == '+' ? o : -1;
            if (off is >= 0 and <= 30)
            {
                return 34 + off;
            }
        }

        throw WharfException.Invalid($"Invalid signal: {value}");
    }
}
