using System.Text;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Images;

/// <summary>
/// Applies the Dockerfile instructions that <c>docker import --change</c> and
/// <c>docker commit --change</c> accept (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD,
/// STOPSIGNAL, USER, VOLUME, WORKDIR) to an image's container config.
/// </summary>
internal static class ConfigChanges
{
    public static ContainerConfig Apply(ContainerConfig config, IReadOnlyList<string> changes)
    {
        foreach (var raw in changes)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var sp = line.IndexOfAny([' ', '\t']);
            var instr = (sp < 0 ? line : line[..sp]).ToUpperInvariant();
            var rest = sp < 0 ? "" : line[(sp + 1)..].Trim();
            config = instr switch
            {
                "CMD" => config with { Cmd = ParseCommand(rest, "CMD") },
                "ENTRYPOINT" => config with { Entrypoint = ParseCommand(rest, "ENTRYPOINT") },
                "ENV" => config with { Env = MergeEnv(config.Env, ParsePairs(rest, "ENV", allowSpaceForm: true)) },
                "LABEL" => config with { Labels = MergeLabels(config.Labels, ParsePairs(rest, "LABEL", allowSpaceForm: false)) },
                "EXPOSE" => config with { ExposedPorts = AddPorts(config.ExposedPorts, rest) },
                "VOLUME" => config with { Volumes = AddVolumes(config.Volumes, rest) },
                "USER" => config with { User = Required(rest, "USER") },
                "WORKDIR" => config with { WorkingDir = Required(rest, "WORKDIR") },
                "STOPSIGNAL" => config with { StopSignal = Required(rest, "STOPSIGNAL") },
                "ONBUILD" => config with { OnBuild = [.. config.OnBuild ?? [], Required(rest, "ONBUILD")] },
                _ => throw WharfException.Invalid($"{instr.ToLowerInvariant()} is not a valid change command"),
            };
        }

        return config;
    }

    private static string Required(string value, string instr)
        => value.Length > 0 ? value : throw WharfException.Invalid($"{instr} requires exactly one argument");

    private static List<string> ParseCommand(string rest, string instr)
    {
        if (rest.StartsWith('['))
        {
            try
            {
                var list = JsonSerializer.Deserialize(rest, ChangesJsonContext.Default.ListString);
                if (list is not null)
                {
                    return list;
                }
            }
            catch (JsonException)
            {
                // Docker falls back to the shell form when the JSON does not parse.
            }
        }

        if (rest.Length == 0)
        {
            throw WharfException.Invalid($"{instr} requires at least one argument");
        }

        return ["/bin/sh", "-c", rest];
    }

    private static List<(string Key, string Value)> ParsePairs(string rest, string instr, bool allowSpaceForm)
    {
        var words = SplitWords(rest);
        if (words.Count == 0)
        {
            throw WharfException.Invalid($"{instr} requires at least one argument");
        }

        var result = new List<(string, string)>();
        if (allowSpaceForm && !words[0].Contains('=', StringComparison.Ordinal))
        {
            // Legacy "ENV key value with spaces" form.
            var sp = rest.IndexOfAny([' ', '\t']);
            if (sp < 0)
            {
                throw WharfException.Invalid($"{instr} must have two arguments");
            }

            result.Add((rest[..sp], rest[(sp + 1)..].Trim()));
            return result;
        }

        foreach (var w in words)
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw WharfException.Invalid($"{instr} names can not be blank or must be of the form key=value: {w}");
            }

            result.Add((w[..eq], w[(eq + 1)..]));
        }

        return result;
    }

    /// <summary>Splits on unquoted whitespace, removing one level of quotes and backslash escapes.</summary>
    internal static List<string> SplitWords(string s)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < s.Length)
                {
                    sb.Append(s[++i]);
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '\\' && i + 1 < s.Length)
            {
                sb.Append(s[++i]);
            }
            else
            {
                sb.Append(c);
            }
        }

        if (quote != '\0')
        {
            throw WharfException.Invalid("unmatched quote in change: " + s);
        }

        if (inWord)
        {
            words.Add(sb.ToString());
        }

        return words;
    }

    private static List<string> MergeEnv(IReadOnlyList<string>? env, List<(string Key, string Value)> pairs)
    {
        var list = new List<string>(env ?? []);
        foreach (var (k, v) in pairs)
        {
            var idx = list.FindIndex(e => e.StartsWith(k + "=", StringComparison.Ordinal) || e == k);
            var entry = k + "=" + v;
            if (idx >= 0)
            {
                list[idx] = entry;
            }
            else
            {
                list.Add(entry);
            }
        }

        return list;
    }

    private static Dictionary<string, string> MergeLabels(IReadOnlyDictionary<string, string>? labels, List<(string Key, string Value)> pairs)
    {
        var d = labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            d[k] = v;
        }

        return d;
    }

    private static Dictionary<string, EmptyObject> AddPorts(IReadOnlyDictionary<string, EmptyObject>? ports, string rest)
    {
        var d = ports is null ? new Dictionary<string, EmptyObject>(StringComparer.Ordinal) : new Dictionary<string, EmptyObject>(ports, StringComparer.Ordinal);
        var words = SplitWords(rest);
        if (words.Count == 0)
        {
            throw WharfException.Invalid("EXPOSE requires at least one argument");
        }

        foreach (var w in words)
        {
            var slash = w.IndexOf('/', StringComparison.Ordinal);
            var port = slash < 0 ? w : w[..slash];
            var proto = slash < 0 ? "tcp" : w[(slash + 1)..].ToLowerInvariant();
            if (!ushort.TryParse(port, out var p) || p == 0 || proto is not ("tcp" or "udp" or "sctp"))
            {
                throw WharfException.Invalid($"invalid containerPort: {w}");
            }

            d[$"{p}/{proto}"] = new EmptyObject();
        }

        return d;
    }

    private static Dictionary<string, EmptyObject> AddVolumes(IReadOnlyDictionary<string, EmptyObject>? volumes, string rest)
    {
        var d = volumes is null ? new Dictionary<string, EmptyObject>(StringComparer.Ordinal) : new Dictionary<string, EmptyObject>(volumes, StringComparer.Ordinal);
        List<string>? paths = null;
        if (rest.StartsWith('['))
        {
            try
            {
                paths = JsonSerializer.Deserialize(rest, ChangesJsonContext.Default.ListString);
            }
            catch (JsonException)
            {
            }
        }

        paths ??= SplitWords(rest);
        if (paths.Count == 0)
        {
            throw WharfException.Invalid("VOLUME specified can not be an empty string");
        }

        foreach (var p in paths)
        {
            if (string.IsNullOrWhiteSpace(p))
            {
                throw WharfException.Invalid("VOLUME specified can not be an empty string");
            }

            d[p] = new EmptyObject();
        }

        return d;
    }
}
