using System.Globalization;

namespace Wharf.Cli.Templates;

/// <summary>Go's strconv float formatting for the 'e', 'f' and 'g' verbs.</summary>
internal static class GoFloat
{
    /// <param name="precision">-1 for the shortest representation that round-trips.</param>
    public static string Format(double d, char verb, int precision)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }
        switch (verb)
        {
            case 'f':
                return d.ToString("F" + (precision < 0 ? Shortest(d).Decimals : precision).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case 'e':
                return Exp(d, precision < 0 ? Shortest(d).Digits - 1 : precision);
            default:
                return FormatG(d, precision);
        }
    }

    private static (int Digits, int Decimals) Shortest(double d)
    {
        string rt = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        string mant = rt;
        int exp = 0;
        int e = rt.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mant = rt[..e];
            exp = int.Parse(rt[(e + 1)..], CultureInfo.InvariantCulture);
        }
        int dot = mant.IndexOf('.', StringComparison.Ordinal);
        string digits = mant.Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        digits = digits.Length == 0 ? "0" : digits;
        int decimals = dot < 0 ? 0 : mant.Length - dot - 1;
        decimals = Math.Max(0, decimals - exp);
        return (digits.TrimEnd('0').Length == 0 ? 1 : digits.TrimEnd('0').Length, decimals);
    }

    private static string Exp(double d, int decimals)
    {
        string s = d.ToString("E" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = s.IndexOf('E', StringComparison.Ordinal);
        string mant = s[..e];
        int exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string FormatG(double d, int precision)
    {
        bool shortest = precision < 0;
        int digits = shortest ? Shortest(d).Digits : Math.Max(precision, 1);
        if (d == 0)
        {
            return "0";
        }
        // Round to the requested significant digits first; the exponent decides the layout.
        string e = d.ToString("E" + (digits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int ei = e.IndexOf('E', StringComparison.Ordinal);
        int exp = int.Parse(e[(ei + 1)..], CultureInfo.InvariantCulture);
        int eprec = shortest ? 6 : digits;
        if (exp < -4 || exp >= eprec)
        {
            string mant = e[..ei];
            if (mant.Contains('.', StringComparison.Ordinal))
            {
                mant = mant.TrimEnd('0').TrimEnd('.');
            }
            return mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        int decimals = Math.Max(digits - 1 - exp, 0);
        string f = double.Parse(e, CultureInfo.InvariantCulture).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (f.Contains('.', StringComparison.Ordinal))
        {
            f = f.TrimEnd('0').TrimEnd('.');
        }
        return f;
    }
}
