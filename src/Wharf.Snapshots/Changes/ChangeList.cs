using Wharf.Core.Containers.Files;
using Wharf.Linux;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// Turns a compared tree into Docker's change list (pure): a depth-first walk in name order;
/// deleted names are "D", names the image lacks "A", the rest "C" when they differ; a directory
/// that is unchanged itself but gains or loses a name is listed as "C" right before it.
/// Mount points the runtime created (empty files and directories at the given paths, and
/// directories that exist only to hold them) are not changes, and do not make their parent's
/// new mtime one either: Docker keeps them in a separate init layer.
/// </summary>
internal static class ChangeList
{
    public static List<(FileChange Change, DiffNode Node)> Compute(DiffNode root, IReadOnlySet<string> runtimeMountpoints, ChangeRules rules)
    {
        var result = new List<(FileChange, DiffNode)>();
        var changedDirs = new HashSet<string>(StringComparer.Ordinal);
        var parents = new Dictionary<string, DiffNode>(StringComparer.Ordinal) { ["/"] = root };
        foreach (var child in root.Children)
        {
            Visit(child, runtimeMountpoints, rules, result, changedDirs, parents);
        }

        return result;
    }

    /// <summary>True for what the runtime left behind as a mount point, and directories holding only those.</summary>
    public static bool IsRuntimeArtifact(DiffNode node, IReadOnlySet<string> mountpoints)
    {
        if (node.Deleted || node.Upper is not { } upper)
        {
            return false;
        }

        var listed = mountpoints.Contains(node.Path);
        if (upper.Kind == FileKind.RegularFile)
        {
            return listed && upper.Size == 0;
        }

        if (upper.Kind != FileKind.Directory || !node.Children.All(c => IsRuntimeArtifact(c, mountpoints)))
        {
            return false;
        }

        if (listed)
        {
            return true;
        }

        // A directory the runtime had to create for a mount point below it (e.g. /etc for
        // /etc/hosts in an image without /etc).
        var prefix = node.Path + "/";
        return node.Lower is null && node.Children.Count > 0 && mountpoints.Any(m => m.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static void Visit(DiffNode node, IReadOnlySet<string> mountpoints, ChangeRules rules, List<(FileChange, DiffNode)> result, HashSet<string> changedDirs, Dictionary<string, DiffNode> parents)
    {
        if (IsRuntimeArtifact(node, mountpoints))
        {
            return;
        }

        FileChangeKind? kind = null;
        if (node.Deleted)
        {
            kind = FileChangeKind.Deleted;
        }
        else if (node.Lower is not { } lower)
        {
            kind = FileChangeKind.Added;
        }
        else if (node.Upper is { } upper)
        {
            if (upper.Kind == FileKind.Directory && lower.Kind == FileKind.Directory)
            {
                var ignoreTime = !rules.CompareDirectoryTimes || node.Children.Any(c => IsRuntimeArtifact(c, mountpoints));
                var same = upper.Mode == lower.Mode && upper.Uid == lower.Uid && upper.Gid == lower.Gid
                    && (ignoreTime || SameTime(upper, lower));
                kind = same ? null : FileChangeKind.Modified;
            }
            else if (!(rules.CompareFiles && SameFile(upper, lower)))
            {
                kind = FileChangeKind.Modified;
            }
        }

        if (kind is { } k)
        {
            if (node.IsDirectory)
            {
                changedDirs.Add(node.Path);
            }

            if (k is FileChangeKind.Added or FileChangeKind.Deleted)
            {
                var parent = ParentOf(node.Path);
                if (parent != "/" && changedDirs.Add(parent))
                {
                    result.Add((new FileChange(parent, FileChangeKind.Modified), parents[parent]));
                }
            }

            result.Add((new FileChange(node.Path, k), node));
        }

        if (node.Children.Count > 0)
        {
            parents[node.Path] = node;
            foreach (var child in node.Children)
            {
                Visit(child, mountpoints, rules, result, changedDirs, parents);
            }
        }
    }

    public static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static bool SameFile(FileStatus a, FileStatus b)
        => a.Mode == b.Mode && a.Uid == b.Uid && a.Gid == b.Gid && a.RdevMajor == b.RdevMajor && a.RdevMinor == b.RdevMinor
            && a.Size == b.Size && SameTime(a, b);

    // Docker's sameFsTime: when either side lacks nanoseconds, seconds decide.
    private static bool SameTime(FileStatus a, FileStatus b)
        => a.ModifySeconds == b.ModifySeconds
            && (a.ModifyNanoseconds == b.ModifyNanoseconds || a.ModifyNanoseconds == 0 || b.ModifyNanoseconds == 0);
}
