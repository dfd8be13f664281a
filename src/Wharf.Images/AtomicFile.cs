namespace Wharf.Images;

/// <summary>
/// Writes a file so that readers (and a restarted daemon) see the old or the new content, never a
/// mix; the directory is fsynced after the rename, so the new content survives a power loss.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> data)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(data);
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        Wharf.Linux.DirectorySync.Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Removes temporary files a killed process left next to committed ones.</summary>
    public static void CleanTemps(string dir)
    {
        foreach (var f in Directory.EnumerateFiles(dir, "*.tmp-*"))
        {
            File.Delete(f);
        }
    }
}
