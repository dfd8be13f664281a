using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>Tree operations that never follow symlinks (layer trees are full of hostile ones).</summary>
internal static class FileTree
{
    public static IEnumerable<string> ListNames(string directory) => TreeCopy.ListNames(directory);

    /// <summary>Deletes a file or a whole tree; a symlink is removed, never followed. Missing is fine.</summary>
    public static void RemoveAll(string path)
    {
        if (!Posix.TryLStat(path, out var status))
        {
            return;
        }

        if (status.Kind != FileKind.Directory)
        {
            Posix.Unlink(path);
            return;
        }

        foreach (var name in ListNames(path))
        {
            RemoveAll(Path.Join(path, name));
        }

        Posix.RemoveDirectory(path);
    }
}
