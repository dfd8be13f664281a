namespace Wharf.Cli.Commands;

/// <summary>
/// The path rules of <c>docker cp</c> (Go's filepath semantics and the archive package's
/// helpers), kept pure so they can be tested without a daemon.
/// </summary>
internal static class CopyPaths
{
    /// <summary>
    /// docker's splitCpArg: "CONTAINER:PATH" or a local path. Absolute paths and paths starting
    /// with "." are local even when they contain ':'.
    /// </summary>
    public static (string? Container, string Path) Split(string arg)
    {
        if (arg.StartsWith('/'))
        {
            return (null, arg);
        }

        var colon = arg.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || arg[..colon].StartsWith('.'))
        {
            return (null, arg);
        }

        return (arg[..colon], arg[(colon + 1)..]);
    }

    /// <summary>Go's filepath.Clean.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count > 0 && parts[^1] != "..")
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                    else if (!rooted)
                    {
                        parts.Add("..");
                    }

                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's filepath.Dir.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(slash < 0 ? "." : path[..(slash + 1)]);
    }

    /// <summary>Go's filepath.Base.</summary>
    public static string Base(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>Go's filepath.Join.</summary>
    public static string Join(string a, string b) => a.Length == 0 ? Clean(b) : Clean(a + "/" + b);

    /// <summary>Whether the path names a directory's contents ("dir/." or ".").</summary>
    public static bool SpecifiesCurrentDir(string path) => Base(path) == "." && (path == "." || path.EndsWith("/.", StringComparison.Ordinal));

    /// <summary>Whether the path asserts a directory (trailing "/" or "/.").</summary>
    public static bool AssertsDirectory(string path) => path.EndsWith('/') || SpecifiesCurrentDir(path);

    /// <summary>
    /// The archive package's SplitPathDirEntry: directory and last element of the cleaned path;
    /// "dir/." keeps "." as its last element.
    /// </summary>
    public static (string Dir, string Base) SplitPathDirEntry(string path)
    {
        var cleaned = Clean(path);
        if (SpecifiesCurrentDir(path))
        {
            cleaned += "/.";
        }

        return (Dir(cleaned), Base(cleaned));
    }

    /// <summary>
    /// GetRebaseName: when following a link changed the last element (or dropped a trailing
    /// "/" or "/."), the name the archive entries must take instead.
    /// </summary>
    public static (string Resolved, string RebaseName) RebaseName(string path, string resolved)
    {
        if (SpecifiesCurrentDir(path) && !SpecifiesCurrentDir(resolved))
        {
            resolved += "/.";
        }

        if (path.EndsWith('/') && !resolved.EndsWith('/'))
        {
            resolved += "/";
        }

        var rebase = Base(path) != Base(resolved) ? Base(path) : "";
        return (resolved, rebase);
    }

    /// <summary>
    /// RebaseArchiveEntries for one name: an entry that is <paramref name="oldBase"/> or below
    /// it gets <paramref name="newBase"/> instead; others are left alone. Names are made
    /// relative first (leading "/" and "./" dropped).
    /// </summary>
    public static string Rebase(string name, string oldBase, string newBase)
    {
        var relative = name.TrimStart('/');
        while (relative.StartsWith("./", StringComparison.Ordinal))
        {
            relative = relative[2..];
        }

        if (oldBase is "." or "")
        {
            return relative.Length == 0 || relative == "." ? newBase + (name.EndsWith('/') ? "/" : "") : newBase + "/" + relative;
        }

        if (relative == oldBase || relative == oldBase + "/")
        {
            return newBase + relative[oldBase.Length..];
        }

        return relative.StartsWith(oldBase + "/", StringComparison.Ordinal) ? newBase + relative[oldBase.Length..] : relative;
    }
}
