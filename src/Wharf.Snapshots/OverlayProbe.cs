using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// Checks by doing it that an overlay mount with a whiteout works on the filesystem under a
/// root (it does not when the root is itself on overlayfs, or without privileges).
/// </summary>
internal static class OverlayProbe
{
    private const string Prefix = ".overlay-probe-";

    public static bool Run(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var stale in FileTree.ListNames(root).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            Cleanup(Path.Join(root, stale));
        }

        var dir = Path.Join(Path.GetFullPath(root), Prefix + Guid.NewGuid().ToString("N"));
        var merged = Path.Join(dir, "merged");
        try
        {
            Posix.MakeDirectory(dir, 0b111_000_000);
            foreach (var sub in new[] { "lower", "upper", "work", "merged" })
            {
                Posix.MakeDirectory(Path.Join(dir, sub), 0b111_101_101);
            }

            File.WriteAllText(Path.Join(dir, "lower", "kept"), "x");
            File.WriteAllText(Path.Join(dir, "lower", "hidden"), "x");
            Posix.MakeCharacterDevice(Path.Join(dir, "upper", "hidden"), 0, 0, 0);
            var options = $"lowerdir={dir}/lower,upperdir={dir}/upper,workdir={dir}/work";
            Posix.Mount("overlay", merged, "overlay", MountFlags.None, options);
            return File.Exists(Path.Join(merged, "kept")) && !Posix.TryLStat(Path.Join(merged, "hidden"), out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            Cleanup(dir);
        }
    }

    private static void Cleanup(string dir)
    {
        try
        {
            MountTable.UnmountAllUnder(dir);
            FileTree.RemoveAll(dir);
        }
        catch (IOException)
        {
            // Best effort: the next probe retries the cleanup.
        }
    }
}
