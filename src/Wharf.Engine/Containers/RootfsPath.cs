using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Resolves a path inside a container's root filesystem the way the container would see it,
/// following symlinks but never leaving the root: an absolute link target starts again at the
/// root and ".." stops there (Docker's FollowSymlinkInScope). Image content is untrusted, so
/// this is the only way host code may turn a container path into a host path.
/// </summary>
internal static class RootfsPath
{
    private const int MaxLinks = 255;

    public static string Resolve(string root, string containerPath)
    {
        var pending = new LinkedList<string>(Split(containerPath));
        var resolved = new List<string>();
        var links = 0;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var part = node.Value;
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = Path.Join(root, string.Join('/', resolved), part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw WharfException.Invalid($"too many levels of symbolic links resolving {containerPath}");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var p in Split(target).Reverse())
            {
                pending.AddFirst(p);
            }
        }

        return resolved.Count == 0 ? root : Path.Join(root, string.Join('/', resolved));
    }

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
