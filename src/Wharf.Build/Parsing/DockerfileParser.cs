using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Build.Parsing;

/// <summary>
/// Turns Dockerfile text into instructions, following Docker's parser: directives at the top,
/// comments, continuations with the escape token, JSON (exec) and shell forms, flags, and
/// here-documents. Pure: no I/O, no variable substitution (see <see cref="ShellLex"/>).
/// Errors are InvalidArgument with Docker's "dockerfile parse error line N: ..." text.
/// </summary>
public static partial class DockerfileParser
{
    private static readonly HashSet<string> Known =
    [
        "from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy", "entrypoint",
        "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell",
    ];

    private static readonly Dictionary<string, string[]> AllowedFlags = new(StringComparer.Ordinal)
    {
        ["from"] = ["platform"],
        ["run"] = ["mount", "network", "security"],
        ["copy"] = ["from", "chown", "chmod", "link", "parents", "exclude"],
        ["add"] = ["chown", "chmod", "link", "keep-git-dir", "checksum", "exclude"],
        ["healthcheck"] = ["interval", "timeout", "start-period", "start-interval", "retries"],
    };

    public static Dockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = ReadDirectives(lines, directives);
        var escape = '\\';
        if (directives.TryGetValue("escape", out var e))
        {
            if (e is not ("\\" or "`"))
            {
                throw Error(1, $"invalid ESCAPE '{e}'. Must be ` or \\");
            }

            escape = e[0];
        }

        var all = new List<Instruction>();
        while (i < lines.Length)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                i++;
                continue;
            }

            var start = i + 1;
            var logical = new StringBuilder();
            var current = lines[i];
            i++;
            while (true)
            {
                var t = current.TrimEnd();
                if (t.Length > 0 && t[^1] == escape)
                {
                    logical.Append(t, 0, t.Length - 1);
                    // Comment and empty lines inside a continuation are dropped, as Docker does.
                    while (i < lines.Length && (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#')))
                    {
                        i++;
                    }

                    if (i >= lines.Length)
                    {
                        break;
                    }

                    current = lines[i];
                    i++;
                    continue;
                }

                logical.Append(current);
                break;
            }

            var original = logical.ToString().Trim();
            var instruction = ParseInstruction(original, start, escape, allowOnbuild: true);
            if (instruction.Keyword is "run" or "copy" or "add" && HeredocNames(instruction) is { Count: > 0 } names)
            {
                var docs = new List<Heredoc>();
                foreach (var (name, expand, chomp) in names)
                {
                    var body = new StringBuilder();
                    var closed = false;
                    while (i < lines.Length)
                    {
                        var line = lines[i++];
                        var cmp = chomp ? line.TrimStart('\t') : line;
                        if (cmp == name)
                        {
                            closed = true;
                            break;
                        }

                        body.Append(cmp).Append('\n');
                    }

                    if (!closed)
                    {
                        throw Error(start, $"unterminated heredoc {name}");
                    }

                    docs.Add(new Heredoc(name, body.ToString(), expand, chomp));
                }

                instruction = instruction with { Heredocs = docs };
            }

            all.Add(instruction);
        }

        return Assemble(directives, escape, all);
    }

    /// <summary>Reads the parser directives at the top; returns the first line after them.</summary>
    private static int ReadDirectives(string[] lines, Dictionary<string, string> directives)
    {
        var i = 0;
        for (; i < lines.Length; i++)
        {
            var m = DirectiveRegex().Match(lines[i]);
            if (!m.Success)
            {
                break;
            }

            var key = m.Groups[1].Value.ToLowerInvariant();
            if (key is not ("syntax" or "escape" or "check"))
            {
                // An unknown directive is a comment and ends the directive section.
                break;
            }

            if (!directives.TryAdd(key, m.Groups[2].Value.Trim()))
            {
                throw Error(i + 1, $"only one {key} parser directive can be used");
            }
        }

        return i;
    }

    private static Dockerfile Assemble(Dictionary<string, string> directives, char escape, List<Instruction> all)
    {
        var meta = new List<Instruction>();
        var stages = new List<Stage>();
        Instruction? from = null;
        List<Instruction>? body = null;
        string? name = null;
        string? baseName = null;
        string? platform = null;

        void Close()
        {
            if (from is not null)
            {
                stages.Add(new Stage { Index = stages.Count, Name = name, BaseName = baseName!, Platform = platform, From = from, Instructions = body! });
            }
        }

        foreach (var ins in all)
        {
            if (ins.Keyword == "from")
            {
                Close();
                from = ins;
                body = [];
                baseName = ins.Args[0];
                platform = ins.Flag("platform");
                name = ins.Args.Count == 3 ? ins.Args[2].ToLowerInvariant() : null;
                if (name is not null && stages.Any(s => s.Name == name))
                {
                    throw Error(ins.Line, $"duplicate name {name}");
                }

                continue;
            }

            if (from is null)
            {
                if (ins.Keyword != "arg")
                {
                    throw Error(ins.Line, "no build stage in current context");
                }

                meta.Add(ins);
                continue;
            }

            body!.Add(ins);
        }

        Close();
        if (stages.Count == 0)
        {
            throw WharfException.Invalid(all.Count == 0
                ? "the Dockerfile (Dockerfile) cannot be empty"
                : "dockerfile parse error: no FROM instruction");
        }

        return new Dockerfile { Directives = directives, EscapeToken = escape, MetaArgs = meta, Stages = stages, Instructions = all };
    }

    internal static Instruction ParseInstruction(string original, int line, char escape, bool allowOnbuild)
    {
        var sp = original.IndexOfAny([' ', '\t']);
        var word = sp < 0 ? original : original[..sp];
        var rest = sp < 0 ? "" : original[sp..].Trim();
        var keyword = word.ToLowerInvariant();
        if (!Known.Contains(keyword))
        {
            throw Error(line, $"unknown instruction: {word.ToUpperInvariant()}");
        }

        var flags = new List<BuildFlag>();
        if (AllowedFlags.TryGetValue(keyword, out var allowed))
        {
            rest = ReadFlags(rest, line, keyword, allowed, flags);
        }

        var ins = new Instruction { Keyword = keyword, Line = line, Original = original, Flags = flags };
        return keyword switch
        {
            "run" or "cmd" or "entrypoint" => Command(ins, rest, line),
            "shell" => Shell(ins, rest, line),
            "copy" or "add" => CopyLike(ins, rest, line),
            "volume" => JsonOrWords(ins, rest, line, atLeastOne: true),
            "expose" => Words(ins, rest, line, atLeastOne: true),
            "env" => NameValues(ins, rest, line, escape, legacy: true),
            "label" => NameValues(ins, rest, line, escape, legacy: false),
            "arg" => Arg(ins, rest, line),
            "from" => From(ins, rest, line),
            "user" or "workdir" or "stopsignal" or "maintainer" => Single(ins, rest, line),
            "healthcheck" => Healthcheck(ins, rest, line),
            "onbuild" => OnBuild(ins, rest, line, escape, allowOnbuild),
            _ => throw Error(line, $"unknown instruction: {word.ToUpperInvariant()}"),
        };
    }

    private static string ReadFlags(string rest, int line, string keyword, string[] allowed, List<BuildFlag> flags)
    {
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = 0;
            var quote = '\0';
            for (; end < rest.Length; end++)
            {
                var c = rest[end];
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '"' or '\'')
                {
                    quote = c;
                }
                else if (char.IsWhiteSpace(c))
                {
                    break;
                }
            }

            var token = rest[2..end];
            rest = rest[end..].TrimStart();
            if (token.Length == 0)
            {
                // A bare "--" ends the flags.
                break;
            }

            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? token : token[..eq];
            var value = eq < 0 ? null : Unquote(token[(eq + 1)..]);
            if (!allowed.Contains(name))
            {
                throw Error(line, $"Unknown flag: {name}");
            }

            if (value is null && name is not ("link" or "parents" or "keep-git-dir"))
            {
                throw Error(line, $"Missing a value on flag: --{name} in {keyword.ToUpperInvariant()}");
            }

            flags.Add(new BuildFlag(name, value));
        }

        return rest;
    }

    private static string Unquote(string v)
        => v.Length >= 2 && (v[0] == '"' || v[0] == '\'') && v[^1] == v[0] ? v[1..^1] : v;

    private static Instruction Command(Instruction ins, string rest, int line)
    {
        if (rest.Length == 0)
        {
            if (ins.Keyword == "run")
            {
                throw Error(line, "RUN requires at least one argument");
            }

            // CMD and ENTRYPOINT with nothing clear the value (Docker keeps an empty shell form).
            return ins with { Args = [] };
        }

        return TryJson(rest) is { } json ? ins with { Args = json, IsJson = true } : ins with { Args = [rest] };
    }

    private static Instruction Shell(Instruction ins, string rest, int line)
    {
        if (TryJson(rest) is not { Count: > 0 } json)
        {
            throw Error(line, "SHELL requires the arguments to be in JSON form");
        }

        return ins with { Args = json, IsJson = true };
    }

    private static Instruction CopyLike(Instruction ins, string rest, int line)
    {
        var parsed = JsonOrWords(ins, rest, line, atLeastOne: false);
        var heredocs = parsed.Args.Count > 0 && parsed.Args[0].StartsWith("<<", StringComparison.Ordinal);
        if (parsed.Args.Count < 2)
        {
            throw Error(line, heredocs
                ? $"{ins.Keyword.ToUpperInvariant()} requires at least two arguments, but only one was provided. Destination could not be determined."
                : $"{ins.Keyword.ToUpperInvariant()} requires at least two arguments, but only one was provided. Destination could not be determined.");
        }

        if (ins.Keyword == "copy" && ins.Flag("from") is { Length: 0 })
        {
            throw Error(line, "COPY --from needs a stage name, index or image");
        }

        return parsed;
    }

    private static Instruction JsonOrWords(Instruction ins, string rest, int line, bool atLeastOne)
        => TryJson(rest) is { } json ? Check(ins with { Args = json, IsJson = true }, line, atLeastOne) : Words(ins, rest, line, atLeastOne);

    private static Instruction Words(Instruction ins, string rest, int line, bool atLeastOne)
        => Check(ins with { Args = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries) }, line, atLeastOne);

    private static Instruction Check(Instruction ins, int line, bool atLeastOne)
        => atLeastOne && ins.Args.Count == 0 ? throw Error(line, $"{ins.Keyword.ToUpperInvariant()} requires at least one argument") : ins;

    private static Instruction Single(Instruction ins, string rest, int line)
    {
        if (rest.Length == 0)
        {
            throw Error(line, $"{ins.Keyword.ToUpperInvariant()} requires exactly one argument");
        }

        if (ins.Keyword is "user" or "stopsignal" && rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length != 1)
        {
            throw Error(line, $"{ins.Keyword.ToUpperInvariant()} requires exactly one argument");
        }

        return ins with { Args = [rest] };
    }

    private static Instruction From(Instruction ins, string rest, int line)
    {
        var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (1 or 3) || (words.Length == 3 && !words[1].Equals("as", StringComparison.OrdinalIgnoreCase)))
        {
            throw Error(line, "FROM requires either one or three arguments");
        }

        if (words.Length == 3 && !StageNameRegex().IsMatch(words[2]))
        {
            throw Error(line, $"invalid name for build stage: \"{words[2]}\", name can't start with a number or contain symbols");
        }

        return ins with { Args = words };
    }

    private static Instruction Arg(Instruction ins, string rest, int line)
    {
        var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw Error(line, "ARG requires exactly one argument");
        }

        foreach (var w in words)
        {
            var name = w.Split('=', 2)[0];
            if (name.Length == 0)
            {
                throw Error(line, "ARG names can not be blank");
            }
        }

        return ins with { Args = words };
    }

    private static Instruction Healthcheck(Instruction ins, string rest, int line)
    {
        var sp = rest.IndexOfAny([' ', '\t']);
        var type = (sp < 0 ? rest : rest[..sp]).ToUpperInvariant();
        var cmd = sp < 0 ? "" : rest[sp..].Trim();
        switch (type)
        {
            case "NONE":
                if (cmd.Length > 0 || ins.Flags.Count > 0)
                {
                    throw Error(line, "HEALTHCHECK NONE takes no arguments");
                }

                return ins with { Args = ["NONE"] };
            case "CMD":
                if (cmd.Length == 0)
                {
                    throw Error(line, "Missing command after HEALTHCHECK CMD");
                }

                return TryJson(cmd) is { } json ? ins with { Args = ["CMD", .. json], IsJson = true } : ins with { Args = ["CMD", cmd] };
            default:
                throw Error(line, $"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
        }
    }

    private static Instruction OnBuild(Instruction ins, string rest, int line, char escape, bool allowOnbuild)
    {
        if (!allowOnbuild)
        {
            throw Error(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        }

        if (rest.Length == 0)
        {
            throw Error(line, "ONBUILD requires at least one argument");
        }

        var inner = ParseInstruction(rest, line, escape, allowOnbuild: false);
        if (inner.Keyword is "from" or "maintainer")
        {
            throw Error(line, $"{inner.Keyword.ToUpperInvariant()} isn't allowed as an ONBUILD trigger");
        }

        return ins with { Args = [rest], Inner = inner };
    }

    /// <summary>
    /// ENV and LABEL: <c>k=v k2="v 2"</c>, or for ENV the old <c>ENV k the value</c>. Words split
    /// on unquoted, unescaped whitespace; quotes stay (substitution removes them later).
    /// </summary>
    private static Instruction NameValues(Instruction ins, string rest, int line, char escape, bool legacy)
    {
        var upper = ins.Keyword.ToUpperInvariant();
        var words = SplitWords(rest, escape);
        if (words.Count == 0)
        {
            throw Error(line, $"{upper} requires at least one argument");
        }

        var args = new List<string>();
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            if (!legacy || words.Count < 2)
            {
                if (legacy)
                {
                    throw Error(line, $"{upper} must have two arguments");
                }

                throw Error(line, $"Syntax error - can't find = in \"{words[0]}\". Must be of the form: name=value");
            }

            // The old form: the key, then the rest of the line as the value.
            var key = words[0];
            var value = rest[(rest.IndexOf(key, StringComparison.Ordinal) + key.Length)..].Trim();
            return ins with { Args = [key, value] };
        }

        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Error(line, $"Syntax error - can't find = in \"{w}\". Must be of the form: name=value");
            }

            if (eq == 0)
            {
                throw Error(line, $"{upper} names can not be blank");
            }

            args.Add(w[..eq]);
            args.Add(w[(eq + 1)..]);
        }

        return ins with { Args = args };
    }

    /// <summary>Splits on whitespace outside quotes and not escaped, keeping quotes and escapes.</summary>
    internal static List<string> SplitWords(string s, char escape)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var quote = '\0';
        for (var k = 0; k < s.Length; k++)
        {
            var c = s[k];
            if (c == escape && k + 1 < s.Length && quote != '\'')
            {
                sb.Append(c).Append(s[++k]);
                continue;
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }

                sb.Append(c);
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
                sb.Append(c);
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                }

                continue;
            }

            sb.Append(c);
        }

        if (sb.Length > 0)
        {
            words.Add(sb.ToString());
        }

        return words;
    }

    /// <summary>A JSON array of strings, or null when the text is not one (then it is shell form).</summary>
    private static List<string>? TryJson(string rest)
    {
        if (!rest.StartsWith('['))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(rest);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<string>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                list.Add(item.GetString()!);
            }

            return list;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<(string Name, bool Expand, bool Chomp)> HeredocNames(Instruction ins)
    {
        var list = new List<(string, bool, bool)>();
        var source = ins.IsJson ? [] : ins.Keyword == "run" ? ins.Args : ins.Args.Take(ins.Args.Count - 1);
        foreach (var text in source)
        {
            foreach (Match m in HeredocRegex().Matches(text))
            {
                var quoted = m.Groups[2].Value.Length > 0;
                list.Add((m.Groups[3].Value, !quoted, m.Groups[1].Value == "-"));
            }
        }

        return list;
    }

    internal static WharfException Error(int line, string message)
        => WharfException.Invalid($"dockerfile parse error line {line}: {message}");

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex DirectiveRegex();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9_.-]*$")]
    private static partial Regex StageNameRegex();

    [GeneratedRegex(@"<<(-?)([""']?)([A-Za-z_][A-Za-z0-9_]*)\2")]
    private static partial Regex HeredocRegex();
}
