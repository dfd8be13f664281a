using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Snapshots;

/// <summary>Lexical cleaning of tar entry names and hard-link targets.</summary>
internal static class TarPath
{
    /// <summary>Linux PATH_MAX; a longer name cannot be created anyway and only costs memory.</summary>
    public const int MaxNameBytes = 4096;

    /// <summary>
    /// Returns the cleaned relative path ("a/b", or "" for the root itself). Rejects absolute
    /// names and names whose cleaned form climbs above the root, because neither can be
    /// unpacked without writing outside the snapshot.
    /// </summary>
    /// <param name="name">The entry name or link target.</param>
    /// <param name="what">How to name it in errors, e.g. <c>tar entry "a/b"</c>.</param>
    public static string Clean(string name, string? what = null)
    {
        what ??= $"tar entry \"{name}\"";
        if (name.Length == 0)
        {
            throw WharfException.Invalid($"{what} is empty");
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw WharfException.Invalid($"{(what.Length > 100 ? what[..100] + "..." : what)} is longer than {MaxNameBytes} bytes");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"{what} contains NUL");
        }

        if (name[0] == '/')
        {
            throw WharfException.Invalid($"{what} is an absolute path");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count == 0)
                    {
                        throw WharfException.Invalid($"{what} escapes the layer root");
                    }

                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return string.Join('/', parts);
    }

    public static string Parent(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? string.Empty : relative[..slash];
    }

    public static string BaseName(string relative)
    {
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? relative : relative[(slash + 1)..];
    }

    public static string Combine(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
}
