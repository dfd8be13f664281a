using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Volumes;

/// <summary>
/// Docker's local volume names: <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c>. The name becomes a directory
/// under the volumes root, so nothing that could climb out of it (or hide as a dot file) passes.
/// </summary>
internal static partial class VolumeNames
{
    public const string AllowedChars = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>The reason a name is refused, or null when it is fine.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 1)
        {
            return "volume name is too short, names should be at least two alphanumeric characters";
        }

        if (!Pattern().IsMatch(name))
        {
            return $"{GoQuote(name)} includes invalid characters for a local volume name, only \"{AllowedChars}\" are allowed. If you intended to pass a host directory, use absolute path";
        }

        // The name is a directory name; the kernel refuses longer ones.
        return Encoding.UTF8.GetByteCount(name) > 255 ? "volume name is too long, names can be at most 255 characters" : null;
    }

    /// <summary>Fails with Docker's <c>create NAME: ...</c> message when the name is refused.</summary>
    public static void Validate(string name)
    {
        if (Problem(name) is { } problem)
        {
            throw WharfException.Invalid($"create {name}: {problem}");
        }
    }

    /// <summary>A random 64-hex name, as Docker gives anonymous volumes.</summary>
    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Go's %q for the strings that reach it here: quotes, backslashes and control characters escaped.</summary>
    internal static string GoQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
