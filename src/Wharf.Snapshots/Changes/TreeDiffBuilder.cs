using Microsoft.Win32.SafeHandles;
using Wharf.Linux;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// Compares a container's full copied tree (the vfs driver) with its image's tree into a
/// <see cref="DiffNode"/> tree: names only the image has are deletions. Both trees are walked
/// by handles, one name at a time, never following a symlink (the container's may be running).
/// </summary>
internal static class TreeDiffBuilder
{
    public static DiffNode Build(string newTree, string oldTree)
    {
        using var newRoot = PosixAt.Open(newTree, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        using var oldRoot = PosixAt.Open(oldTree, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        var root = new DiffNode { Path = "/", Upper = PosixAt.Stat(newRoot), Lower = PosixAt.Stat(oldRoot) };
        Walk(newRoot, oldRoot, root);
        return root;
    }

    private static void Walk(SafeFileHandle newDir, SafeFileHandle? oldDir, DiffNode node)
    {
        var names = new SortedSet<string>(PosixAt.ListDirectory(newDir), StringComparer.Ordinal);
        if (oldDir is not null)
        {
            names.UnionWith(PosixAt.ListDirectory(oldDir));
        }

        foreach (var name in names)
        {
            var path = node.Path == "/" ? "/" + name : node.Path + "/" + name;
            FileStatus? newStatus = PosixAt.TryStatAt(newDir, name, out var ns) ? ns : null;
            FileStatus? oldStatus = oldDir is not null && PosixAt.TryStatAt(oldDir, name, out var os) ? os : null;
            if (newStatus is null)
            {
                if (oldStatus is not null)
                {
                    node.Children.Add(new DiffNode { Path = path, Lower = oldStatus, Deleted = true });
                }

                continue;
            }

            var child = new DiffNode { Path = path, Upper = newStatus, Lower = oldStatus };
            if (newStatus.Value.Kind == FileKind.Directory)
            {
                using var newSub = TryOpenDirectory(newDir, name);
                using var oldSub = oldStatus is { Kind: FileKind.Directory } && oldDir is not null ? TryOpenDirectory(oldDir, name) : null;
                if (newSub is not null)
                {
                    Walk(newSub, oldSub, child);
                }
            }

            node.Children.Add(child);
        }
    }

    private static SafeFileHandle? TryOpenDirectory(SafeFileHandle parent, string name)
    {
        try
        {
            return PosixAt.OpenAt(parent, name, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR)
        {
            return null;
        }
    }
}
