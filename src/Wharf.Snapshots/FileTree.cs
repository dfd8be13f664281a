using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>Tree operations that never follow symlinks (layer trees are full of hostile ones).</summary>
internal static class FileTree
{
    // Compatible options: do not skip dot files (which .NET calls hidden on Unix).
    private static readonly EnumerationOptions AllNames = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    public static IEnumerable<string> ListNames(string directory)
        => Directory.EnumerateFileSystemEntries(directory, "*", AllNames).Select(p => Path.GetFileName(p)).ToList();

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

    /// <summary>
    /// Copies a tree preserving type, owner, mode, xattrs and times; hard links inside the tree
    /// stay hard links. <paramref name="destination"/> must not exist.
    /// </summary>
    public static void Copy(string source, string destination)
    {
        var links = new Dictionary<(uint, uint, ulong), string>();
        CopyEntry(source, destination, links);
    }

    private static void CopyEntry(string source, string destination, Dictionary<(uint, uint, ulong), string> links)
    {
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
                    CopyEntry(Path.Join(source, name), Path.Join(destination, name), links);
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
                // Sockets are not part of images; skipping matches what tar would do.
                return;
        }

        CopyMetadata(source, destination, st);
    }

    private static void CopyMetadata(string source, string destination, FileStatus st)
    {
        // chown clears setuid/setgid and security.capability, so it goes first.
        Posix.LChown(destination, st.Uid, st.Gid);
        if (st.Kind != FileKind.SymbolicLink)
        {
            Posix.Chmod(destination, st.Permissions);
        }

        foreach (var name in SafeListXattrs(source))
        {
            var value = Posix.LGetXattr(source, name);
            if (value is not null)
            {
                TrySetXattr(destination, name, value);
            }
        }

        Posix.LSetTimes(destination, st.AccessSeconds, st.AccessNanoseconds, st.ModifySeconds, st.ModifyNanoseconds);
    }

    private static IReadOnlyList<string> SafeListXattrs(string path)
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

    /// <summary>Sets an xattr; a filesystem or namespace that refuses it is not an error (as in moby).</summary>
    public static bool TrySetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        try
        {
            Posix.LSetXattr(path, name, value);
            return true;
        }
        catch (ErrnoException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.EPERM)
        {
            return false;
        }
    }
}
