using Wharf.Linux;

namespace Wharf.Volumes;

/// <summary>
/// A volume's size as Docker measures it: the sizes of everything that is not a directory,
/// hard-linked files counted once, symlinks not followed.
/// </summary>
internal static class DirectorySize
{
    private static readonly EnumerationOptions AllNames = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The size in bytes, or -1 when the tree cannot be read.</summary>
    public static long Of(string path, CancellationToken cancellationToken)
    {
        try
        {
            var seen = new HashSet<(uint, uint, ulong)>();
            return Walk(path, seen, cancellationToken);
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static long Walk(string directory, HashSet<(uint, uint, ulong)> seen, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", AllNames))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Posix.TryLStat(entry, out var st))
            {
                continue;
            }

            if (st.Kind == FileKind.Directory)
            {
                total += Walk(entry, seen, cancellationToken);
            }
            else if (st.Size > 0 && seen.Add((st.DeviceMajor, st.DeviceMinor, st.Inode)))
            {
                total += (long)st.Size;
            }
        }

        return total;
    }
}
