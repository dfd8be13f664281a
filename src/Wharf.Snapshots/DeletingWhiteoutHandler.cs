using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>Applies whiteouts to a full copy of the lower tree by deleting what they hide.</summary>
internal sealed class DeletingWhiteoutHandler : IWhiteoutHandler
{
    public static readonly DeletingWhiteoutHandler Instance = new();

    public void Whiteout(string fullPath, uint uid, uint gid) => FileTree.RemoveAll(fullPath);

    public void Opaque(string treeRoot, string relativeDirectory, IReadOnlySet<string> writtenByLayer)
        => EmptyExcept(treeRoot, relativeDirectory, writtenByLayer);

    // The marker may come after some of the directory's own entries in the tar, so instead of
    // emptying the directory we delete everything under it that this layer did not write.
    private static void EmptyExcept(string treeRoot, string relativeDirectory, IReadOnlySet<string> keep)
    {
        var full = Path.Join(treeRoot, relativeDirectory);
        foreach (var childPath in FileTree.ListNames(full))
        {
            var relative = TarPath.Combine(relativeDirectory, childPath);
            if (!keep.Contains(relative))
            {
                FileTree.RemoveAll(Path.Join(treeRoot, relative));
            }
            else if (Posix.LStat(Path.Join(treeRoot, relative)).Kind == FileKind.Directory)
            {
                EmptyExcept(treeRoot, relative, keep);
            }
        }
    }
}
