using System.Text;
using System.Text.RegularExpressions;

namespace Wharf.Build.Parsing;

/// <summary>
/// <c>.dockerignore</c> patterns with Docker's rules: one pattern a line, <c>#</c> comments,
/// paths cleaned and relative to the context root, <c>*</c> and <c>?</c> within one path
/// element, <c>**</c> across any number of them, <c>[...]</c> classes, <c>\</c> escapes, and
/// <c>!</c> exceptions; the last matching pattern decides, and a pattern matching a directory
/// excludes everything below it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Regex, bool Exclusion, string Text)> _patterns = [];

    public DockerIgnore(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var raw in patterns)
        {
            var p = raw.Trim();
            if (p.Length == 0 || p[0] == '#')
            {
                continue;
            }

            var exclusion = p[0] == '!';
            if (exclusion)
            {
                p = p[1..].Trim();
                if (p.Length == 0)
                {
                    throw new FormatException("illegal exclusion pattern: \"!\"");
                }
            }

            p = Clean(p);
            if (p == ".")
            {
                continue;
            }

            _patterns.Add((new Regex(ToRegex(p), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), exclusion, p));
        }
    }

    public bool IsEmpty => _patterns.Count == 0;

    public static DockerIgnore Parse(string text) => new((text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));

    /// <summary>Whether the context-relative <paramref name="path"/> is excluded.</summary>
    public bool Excludes(string path)
    {
        var file = Clean(path);
        var slash = file.LastIndexOf('/');
        var parents = slash < 0 ? [] : file[..slash].Split('/');
        var matched = false;
        foreach (var (regex, exclusion, _) in _patterns)
        {
            if (exclusion != matched)
            {
                continue;
            }

            var match = regex.IsMatch(file);
            for (var i = 0; !match && i < parents.Length; i++)
            {
                match = regex.IsMatch(string.Join('/', parents, 0, i + 1));
            }

            if (match)
            {
                matched = !exclusion;
            }
        }

        return matched;
    }

    /// <summary>Go's filepath.Clean on a slash path, then made relative (no leading '/').</summary>
    internal static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!path.StartsWith('/'))
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    sb.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"syntax error in pattern: {pattern}");
                    }

                    var cls = pattern[(i + 1)..end];
                    sb.Append('[').Append(cls.StartsWith('!') ? "^" + cls[1..] : cls).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.Append('$').ToString();
    }
}
