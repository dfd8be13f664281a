using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>fmt.Sprintf, Sprint and Sprintln for the verbs people use in templates.</summary>
internal static class GoFormat
{
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            // Go adds a space between operands when neither is a string.
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }
            GoValue.Print(sb, Nil(args[i]));
        }
        return sb.ToString();
    }

    public static string Sprintln(IReadOnlyList<object?> args) =>
        string.Join(" ", args.Select(a => GoValue.Print(Nil(a)))) + "\n";

    private static object? Nil(object? v) => v is Missing ? null : GoValue.Norm(v);

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        int argIndex = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            i++;
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            bool minus = false, plus = false, zero = false, space = false, sharp = false;
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '-': minus = true; continue;
                    case '+': plus = true; continue;
                    case '0': zero = true; continue;
                    case ' ': space = true; continue;
                    case '#': sharp = true; continue;
                }
                break;
            }
            int width = -1, precision = -1;
            (width, i) = ReadNumber(format, i, args, ref argIndex);
            if (width < 0 && width != -1)
            {
                minus = true;
                width = -width;
            }
            if (i < format.Length && format[i] == '.')
            {
                i++;
                (precision, i) = ReadNumber(format, i, args, ref argIndex);
                if (precision < 0)
                {
                    precision = 0;
                }
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            char verb = format[i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (argIndex >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var arg = Nil(args[argIndex++]);
            string body = FormatOne(verb, arg, precision, plus, space, sharp);
            Pad(sb, body, width, minus, zero && !minus && verb != 's' && verb != 'v' && verb != 'q' && arg is long or double);
        }
        if (argIndex < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.AppendJoin(", ", args.Skip(argIndex).Select(a => GoValue.TypeName(Nil(a)) + "=" + GoValue.Print(Nil(a))));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static (int Value, int Index) ReadNumber(string format, int i, IReadOnlyList<object?> args, ref int argIndex)
    {
        if (i < format.Length && format[i] == '*')
        {
            int v = argIndex < args.Count && Nil(args[argIndex]) is long l ? (int)l : 0;
            argIndex++;
            return (v, i + 1);
        }
        int start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }
        return i == start ? (-1, i) : (int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture), i);
    }

    private static void Pad(StringBuilder sb, string body, int width, bool left, bool zeros)
    {
        int n = width - body.Length;
        if (n <= 0)
        {
            sb.Append(body);
            return;
        }
        if (left)
        {
            sb.Append(body).Append(' ', n);
        }
        else if (zeros)
        {
            int sign = body.StartsWith('-') || body.StartsWith('+') ? 1 : 0;
            sb.Append(body, 0, sign).Append('0', n).Append(body, sign, body.Length - sign);
        }
        else
        {
            sb.Append(' ', n).Append(body);
        }
    }

    private static string Bad(char verb, object? arg) =>
        arg is null ? $"%!{verb}(<nil>)" : $"%!{verb}({GoValue.TypeName(arg)}={GoValue.Print(arg)})";

    private static string FormatOne(char verb, object? arg, int precision, bool plus, bool space, bool sharp)
    {
        // Go applies the verb element-wise to slices and maps.
        switch (arg)
        {
            case JsonArray a when verb != 'v':
                return "[" + string.Join(" ", a.Select(x => FormatOne(verb, Nil(x), precision, plus, space, sharp))) + "]";
            case string[] sa when verb is not ('v' or 's' or 'q' or 'x' or 'X'):
                return "[" + string.Join(" ", sa.Select(x => FormatOne(verb, x, precision, plus, space, sharp))) + "]";
            case string[] sa when verb is 's' or 'q':
                return "[" + string.Join(" ", sa.Select(x => FormatOne(verb, x, precision, plus, space, sharp))) + "]";
            case JsonObject o when verb != 'v':
                return "map[" + string.Join(" ", o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select(kv => FormatOne(verb, kv.Key, precision, plus, space, sharp) + ":" + FormatOne(verb, Nil(kv.Value), precision, plus, space, sharp))) + "]";
        }
        switch (verb)
        {
            case 'v':
                if (plus && arg is long pl && pl >= 0)
                {
                    return "+" + GoValue.Print(arg);
                }
                return arg is double dv && precision >= 0 ? GoFloat.Format(dv, 'g', precision) : GoValue.Print(arg);
            case 's':
                if (arg is string s)
                {
                    return precision >= 0 && precision < s.Length ? s[..precision] : s;
                }
                return arg is long or double or bool or null ? Bad(verb, arg) : GoValue.Print(arg);
            case 'q':
                return arg switch
                {
                    string qs => sharp && !qs.Contains('`', StringComparison.Ordinal) ? "`" + qs + "`" : GoQuote.Quote(qs),
                    long ql => "'" + char.ConvertFromUtf32((int)ql) + "'",
                    _ => Bad(verb, arg),
                };
            case 'd':
                return arg is long d ? Signed(d.ToString(CultureInfo.InvariantCulture), d, plus, space) : Bad(verb, arg);
            case 'b':
                return arg is long b ? Convert.ToString(b, 2) : Bad(verb, arg);
            case 'o':
                return arg is long o ? (sharp ? "0" : "") + Convert.ToString(o, 8) : Bad(verb, arg);
            case 'c':
                return arg is long ch ? char.ConvertFromUtf32((int)ch) : Bad(verb, arg);
            case 'x' or 'X':
                string hex = arg switch
                {
                    long xl => (xl < 0 ? "-" : "") + (sharp ? "0x" : "") + Math.Abs(xl).ToString("x", CultureInfo.InvariantCulture),
                    string xs => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(xs)),
                    _ => Bad(verb, arg),
                };
                return verb == 'X' && !hex.StartsWith("%!", StringComparison.Ordinal) ? hex.ToUpperInvariant() : hex;
            case 't':
                return arg is bool tb ? (tb ? "true" : "false") : Bad(verb, arg);
            case 'f' or 'F' or 'e' or 'E' or 'g' or 'G':
                if (arg is not double fd)
                {
                    return Bad(verb, arg);
                }
                string f = GoFloat.Format(fd, char.ToLowerInvariant(verb) == 'f' ? 'f' : char.ToLowerInvariant(verb),
                    precision < 0 && char.ToLowerInvariant(verb) is 'f' or 'e' ? 6 : precision);
                f = char.IsUpper(verb) ? f.ToUpperInvariant() : f;
                return Signed(f, fd, plus, space);
            case 'T':
                return GoValue.TypeName(arg);
            default:
                return "%!" + verb + "(" + GoValue.TypeName(arg) + "=" + GoValue.Print(arg) + ")";
        }
    }

    private static string Signed(string s, double value, bool plus, bool space) =>
        value >= 0 && plus ? "+" + s : value >= 0 && space ? " " + s : s;
}
