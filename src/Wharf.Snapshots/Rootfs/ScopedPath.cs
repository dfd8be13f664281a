using Wharf.Core.Errors;

namespace Wharf.Snapshots.Rootfs;

/// <summary>
/// Pure path arithmetic for paths inside a container root: lexical cleaning, Docker's split of
/// an archive path into the part whose symlinks are followed and the last element, and
/// symlink resolution scoped to the root (what the kernel does for openat2 with
/// RESOLVE_IN_ROOT): "/" and ".." stop at the root and absolute link targets start over from
/// it, so no path or link, however crafted, resolves outside. File system access is a
/// callback, which keeps this class testable without a file system; the real lookups still go
/// through openat2 as a second guard.
/// </summary>
internal static class ScopedPath
{
    /// <summary>Linux's MAXSYMLINKS: more links than this in one resolution is ELOOP.</summary>
    public const int MaxSymlinks = 40;

    /// <summary>
    /// The absolute, lexically clean form of a container path: "" and relative paths start at
    /// "/", "." and empty components vanish, ".." removes the previous component and stops at
    /// the root. No trailing slash except for "/" itself.
    /// </summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }

                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// Docker's PreserveTrailingDotOrSeparator(Join("/", path)): the cleaned absolute path, with
    /// a trailing "/." or "/" kept when the request had one (they change what is archived).
    /// </summary>
    public static string Absolute(string path)
    {
        var clean = Clean(path);
        if (clean == "/")
        {
            return clean;
        }

        if (path.EndsWith("/.", StringComparison.Ordinal) || path == ".")
        {
            return clean + "/.";
        }

        return path.EndsWith('/') ? clean + "/" : clean;
    }

    /// <summary>
    /// Splits an <see cref="Absolute"/> path the way Go's filepath.Split does: the directory
    /// (ending with "/") and the last element ("" after a trailing slash, "." after "/.").
    /// </summary>
    public static (string Dir, string Base) Split(string absolute)
    {
        var slash = absolute.LastIndexOf('/');
        return (absolute[..(slash + 1)], absolute[(slash + 1)..]);
    }

    /// <summary>Go's filepath.Base: the last element, "/" for the root, trailing slashes ignored.</summary>
    public static string Base(string path)
    {
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        var slash = trimmed.LastIndexOf('/');
        return trimmed[(slash + 1)..];
    }

    /// <summary>Joins a clean absolute directory and one name.</summary>
    public static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    /// <summary>
    /// Resolves <paramref name="path"/> inside the root, following every symlink (the last one
    /// too when <paramref name="followFinal"/>, or when a "/" or "/." follows it).
    /// <paramref name="readLink"/> receives a clean absolute path free of symlinks up to its last
    /// element and returns that element's link target, or null when it is not a symlink (or
    /// does not exist: missing components are kept, as Docker's FollowSymlinkInScope keeps them).
    /// </summary>
    /// <returns>A clean absolute path with no symlink components (except the last one when not followed).</returns>
    /// <exception cref="WharfException">InvalidArgument when more than <see cref="MaxSymlinks"/> links are met.</exception>
    public static string Resolve(string path, Func<string, string?> readLink, bool followFinal)
    {
        var pending = new LinkedList<string>(path.Split('/'));
        var resolved = new List<string>();
        var links = 0;
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (resolved.Count > 0)
                    {
                        resolved.RemoveAt(resolved.Count - 1);
                    }

                    continue;
            }

            resolved.Add(part);

            // A trailing "/" or "/." (left in pending) makes the kernel follow the last element.
            var isLast = pending.Count == 0;
            if (isLast && !followFinal)
            {
                break;
            }

            var target = readLink("/" + string.Join('/', resolved));
            if (target is null)
            {
                continue;
            }

            if (++links > MaxSymlinks)
            {
                throw WharfException.Invalid($"too many levels of symbolic links resolving {path}");
            }

            resolved.RemoveAt(resolved.Count - 1);
            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            var parts = target.Split('/');
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                pending.AddFirst(parts[i]);
            }
        }

        return "/" + string.Join('/', resolved);
    }

    /// <summary>
    /// Cleans a tar entry name relative to the extraction directory: a leading "/" is dropped
    /// (as Go's filepath.Join(dest, name) does); a name that climbs above the directory is
    /// null. "" names the directory itself.
    /// </summary>
    public static string? CleanEntryName(string name)
    {
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
                        return null;
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

    /// <summary>
    /// Docker's check for symlinks in extracted tars: the target, taken lexically from the
    /// link's directory, must stay inside the extraction directory (absolute targets do, as
    /// they are joined onto it). <paramref name="entry"/> is the cleaned entry name.
    /// </summary>
    public static bool SymlinkStaysInside(string entry, string target)
    {
        if (target.StartsWith('/'))
        {
            return true;
        }

        var slash = entry.LastIndexOf('/');
        var dir = slash < 0 ? "" : entry[..slash];
        return CleanEntryName(dir.Length == 0 ? target : dir + "/" + target) is not null;
    }
}
