namespace Wharf.Cli.Cli;

/// <summary>A pflag-compatible parser: <c>--flag=value</c>, <c>--flag value</c>, combined short bools
/// (<c>-qa</c>), <c>-fvalue</c>, repeated list flags, <c>--</c>, flags interspersed with arguments.</summary>
internal static class ArgParser
{
    private static readonly string[] BoolTrue = ["1", "t", "T", "TRUE", "true", "True"];
    private static readonly string[] BoolFalse = ["0", "f", "F", "FALSE", "false", "False"];

    /// <param name="interspersed">When false, parsing stops at the first positional argument (global flags).</param>
    /// <exception cref="UsageException">With pflag's message.</exception>
    public static (ParsedFlags Flags, List<string> Args) Parse(IReadOnlyList<FlagSpec> specs, IReadOnlyList<string> args, bool interspersed = true)
    {
        var flags = new ParsedFlags(specs);
        var positional = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (a.Length < 2 || a[0] != '-')
            {
                if (!interspersed)
                {
                    positional.AddRange(args.Skip(i));
                    break;
                }
                positional.Add(a);
                continue;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                i = ParseLong(specs, flags, args, i);
            }
            else
            {
                i = ParseShort(specs, flags, args, i);
            }
        }
        return (flags, positional);
    }

    private static int ParseLong(IReadOnlyList<FlagSpec> specs, ParsedFlags flags, IReadOnlyList<string> args, int i)
    {
        string body = args[i][2..];
        string name = body;
        string? value = null;
        int eq = body.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            name = body[..eq];
            value = body[(eq + 1)..];
        }
        if (name.Length == 0 || name[0] == '-' || name[0] == '=')
        {
            throw new UsageException($"bad flag syntax: {args[i]}");
        }
        var spec = specs.FirstOrDefault(s => s.Long == name);
        if (spec is null)
        {
            if (name == "help")
            {
                flags.HelpRequested = true;
                return i;
            }
            throw new UsageException($"unknown flag: --{name}");
        }
        if (spec.Kind == FlagKind.Bool)
        {
            SetBool(flags, spec, value ?? "true");
            return i;
        }
        if (value is null)
        {
            if (i + 1 >= args.Count)
            {
                throw new UsageException($"flag needs an argument: --{name}");
            }
            value = args[++i];
        }
        flags.Set(spec.Long, value);
        return i;
    }

    private static int ParseShort(IReadOnlyList<FlagSpec> specs, ParsedFlags flags, IReadOnlyList<string> args, int i)
    {
        string shorthands = args[i][1..];
        while (shorthands.Length > 0)
        {
            char c = shorthands[0];
            var spec = specs.FirstOrDefault(s => s.Short == c);
            if (spec is null)
            {
                if (c == 'h')
                {
                    flags.HelpRequested = true;
                    shorthands = shorthands[1..];
                    continue;
                }
                throw new UsageException($"unknown shorthand flag: '{c}' in -{shorthands}");
            }
            if (shorthands.Length > 2 && shorthands[1] == '=')
            {
                string v = shorthands[2..];
                if (spec.Kind == FlagKind.Bool)
                {
                    SetBool(flags, spec, v);
                }
                else
                {
                    flags.Set(spec.Long, v);
                }
                return i;
            }
            if (spec.Kind == FlagKind.Bool)
            {
                SetBool(flags, spec, "true");
                shorthands = shorthands[1..];
                continue;
            }
            if (shorthands.Length > 1)
            {
                flags.Set(spec.Long, shorthands[1..]);
                return i;
            }
            if (i + 1 >= args.Count)
            {
                throw new UsageException($"flag needs an argument: '{c}' in -{shorthands}");
            }
            flags.Set(spec.Long, args[++i]);
            return i;
        }
        return i;
    }

    private static void SetBool(ParsedFlags flags, FlagSpec spec, string value)
    {
        if (BoolTrue.Contains(value))
        {
            flags.Set(spec.Long, "true");
        }
        else if (BoolFalse.Contains(value))
        {
            flags.Set(spec.Long, "false");
        }
        else
        {
            throw new UsageException($"invalid argument \"{value}\" for \"{spec.DisplayName}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax");
        }
    }
}
