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
    public static string Clean(string name)
    {
        if (name.Length == 0)
        {
            throw WharfException.Invalid("tar entry with an empty name");
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
        {
            throw WharfException.Invalid($"tar entry name longer than {MaxNameBytes} bytes: \"{name[..64]}...\"");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"tar entry name contains NUL: \"{name}\"");
        }

        if (name[0] == '/')
        {
            throw WharfException.Invalid($"tar entry \"{name}\" has an absolute path");
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
                        throw WharfException.Invalid($"tar entry \"{name}\" escapes the layer root");
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
