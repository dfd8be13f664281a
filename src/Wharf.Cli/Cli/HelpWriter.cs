using System.Text;

namespace Wharf.Cli.Cli;

/// <summary>Help and usage text laid out as docker's cobra templates and pflag's FlagUsagesWrapped do.</summary>
internal static class HelpWriter
{
    /// <summary>Docker wraps flag help to the terminal width minus one, 80 when not a terminal.</summary>
    public const int Columns = 79;

    public static string CommandHelp(string path, CommandSpec spec, IReadOnlyList<string>? aliases, string program)
    {
        var sb = new StringBuilder();
        sb.Append("Usage:  ").Append(path).Append(' ').Append(spec.Use).Append("\n\n").Append(spec.Short).Append('\n');
        if (aliases is { Count: > 0 })
        {
            sb.Append("\nAliases:\n  ").AppendJoin(", ", aliases.Select(a => program + " " + a)).Append('\n');
        }
        var flags = spec.Flags.Where(f => !f.Hidden).ToList();
        if (flags.Count > 0)
        {
            sb.Append("\nOptions:\n").Append(FlagUsages(flags, Columns).TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }

    public static string GroupHelp(string path, string description, IEnumerable<(string Name, string Short)> commands)
    {
        var sb = new StringBuilder();
        sb.Append("Usage:  ").Append(path).Append(" COMMAND\n\n").Append(description).Append("\n\nCommands:\n");
        foreach (var (name, text) in commands)
        {
            sb.Append("  ").Append(name.PadRight(11)).Append(' ').Append(text).Append('\n');
        }
        sb.Append("\nRun '").Append(path).Append(" COMMAND --help' for more information on a command.\n");
        return sb.ToString();
    }

    /// <summary>The three-part usage error: message, usage line, hint.</summary>
    public static string UsageError(string message, string usageLine, string path, string hintVerb = "Run") =>
        $"{message}\n\nUsage:  {usageLine}\n\n{hintVerb} '{path} --help' for more information\n";

    /// <summary>pflag's FlagUsagesWrapped: sorted by name, descriptions aligned and wrapped.</summary>
    public static string FlagUsages(IEnumerable<FlagSpec> flags, int cols)
    {
        var lines = new List<string>();
        int maxlen = 0;
        foreach (var f in flags.OrderBy(f => f.Long, StringComparer.Ordinal))
        {
            string line = f.Short is { } s ? $"  -{s}, --{f.Long}" : $"      --{f.Long}";
            if (f.TypeName.Length > 0)
            {
                line += " " + f.TypeName;
            }
            line += "\0";
            maxlen = Math.Max(maxlen, line.Length);
            line += f.Usage;
            if (f.Default is { } d)
            {
                line += f.Kind == FlagKind.String && f.TypeName == "string" ? $" (default \"{d}\")" : $" (default {d})";
            }
            lines.Add(line);
        }
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            int sidx = line.IndexOf('\0', StringComparison.Ordinal);
            sb.Append(line, 0, sidx).Append(' ', maxlen - sidx + 2).Append(Wrap(maxlen + 2, cols, line[(sidx + 1)..])).Append('\n');
        }
        return sb.ToString();
    }

    private static string Wrap(int i, int w, string s)
    {
        if (w == 0)
        {
            return s.Replace("\n", "\n" + new string(' ', i), StringComparison.Ordinal);
        }
        int wrap = w - i;
        string r = "";
        if (wrap < 24)
        {
            i = 16;
            wrap = w - i;
            r += "\n" + new string(' ', i);
        }
        if (wrap < 24)
        {
            return s.Replace("\n", r, StringComparison.Ordinal);
        }
        const int slop = 5;
        wrap -= slop;
        string indent = new(' ', i);
        var (l, rest) = WrapN(wrap, slop, s);
        r += l.Replace("\n", "\n" + indent, StringComparison.Ordinal);
        while (rest.Length > 0)
        {
            (l, rest) = WrapN(wrap, slop, rest);
            r += "\n" + indent + l.Replace("\n", "\n" + indent, StringComparison.Ordinal);
        }
        return r;
    }

    private static (string Line, string Remainder) WrapN(int i, int slop, string s)
    {
        if (i + slop > s.Length)
        {
            return (s, "");
        }
        int w = s.AsSpan(0, i).LastIndexOfAny(" \t\n");
        if (w <= 0)
        {
            return (s, "");
        }
        int nl = s.AsSpan(0, i).LastIndexOf('\n');
        if (nl > 0 && nl < w)
        {
            return (s[..nl], s[(nl + 1)..]);
        }
        return (s[..w], s[(w + 1)..]);
    }
}
