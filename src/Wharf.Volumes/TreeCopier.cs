using Wharf.Linux;

namespace Wharf.Volumes;

/// <summary>
/// Copies a directory's content into an existing empty directory the way Docker fills a new
/// volume from the image: every entry keeps its type, owner, mode, xattrs and times, hard links
/// inside the tree stay hard links, symlinks are copied as links (never followed), and the
/// destination itself takes the source directory's owner, mode, xattrs and times.
/// </summary>
internal static class TreeCopier
{
    private static readonly EnumerationOptions AllNames = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    public static bool IsEmptyDirectory(string path) => !Directory.EnumerateFileSystemEntries(path, "*", AllNames).Any();

    public static void CopyInto(string source, string destination, CancellationToken cancellationToken)
    {
        var root = Posix.LStat(source);
        var links = new Dictionary<(uint, uint, ulong), string>();
        foreach (var name in ListNames(source))
        {
            CopyEntry(Path.Join(source, name), Path.Join(destination, name), links, cancellationToken);
        }

        CopyMetadata(source, destination, root);
    }

    private static List<string> ListNames(string directory)
        => [.. Directory.EnumerateFileSystemEntries(directory, "*", AllNames).Select(p => Path.GetFileName(p))];

    private static void CopyEntry(string source, string destination, Dictionary<(uint, uint, ulong), string> links, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var st = Posix.LStat(source);
        if (st.Kind != FileKind.Directory && st.LinkCount > 1)
        {
            var id = (st.DeviceMajor, st.DeviceMinor, st.Inode);
            if (links.TryGetValue(id, out var first))
            {
                Posix.Link(first, destination);
                return;
            }

            links[id] = destination;
        }

        switch (st.Kind)
        {
            case FileKind.Directory:
                Posix.MakeDirectory(destination, 0b111_000_000);
                foreach (var name in ListNames(source))
                {
                    CopyEntry(Path.Join(source, name), Path.Join(destination, name), links, cancellationToken);
                }

                break;
            case FileKind.RegularFile:
                File.Copy(source, destination, overwrite: false);
                break;
            case FileKind.SymbolicLink:
                Posix.Symlink(Posix.ReadLink(source), destination);
                break;
            case FileKind.Fifo:
                Posix.MakeFifo(destination, 0b110_000_000);
                break;
            case FileKind.CharacterDevice:
                Posix.MakeCharacterDevice(destination, 0b110_000_000, st.RdevMajor, st.RdevMinor);
                break;
            case FileKind.BlockDevice:
                Posix.MakeBlockDevice(destination, 0b110_000_000, st.RdevMajor, st.RdevMinor);
                break;
            default:
                // A socket belongs to a running process, not to content; tar skips them too.
                return;
        }

        CopyMetadata(source, destination, st);
    }

    private static void CopyMetadata(string source, string destination, FileStatus st)
    {
        // chown clears setuid/setgid bits and security.capability, so it comes first.
        Posix.LChown(destination, st.Uid, st.Gid);
        if (st.Kind != FileKind.SymbolicLink)
        {
            Posix.Chmod(destination, st.Permissions);
        }

        foreach (var name in ListXattrs(source))
        {
            if (Posix.LGetXattr(source, name) is { } value)
            {
                try
                {
                    Posix.LSetXattr(destination, name, value);
                }
                catch (ErrnoException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.EPERM)
                {
                    // tmpfs and other filesystems refuse some namespaces; Docker ignores that too.
                }
            }
        }

        Posix.LSetTimes(destination, st.AccessSeconds, st.AccessNanoseconds, st.ModifySeconds, st.ModifyNanoseconds);
    }

    private static IReadOnlyList<string> ListXattrs(string path)
    {
        try
        {
            return Posix.LListXattr(path);
        }
        catch (ErrnoException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.EPERM)
        {
            return [];
        }
    }
}
