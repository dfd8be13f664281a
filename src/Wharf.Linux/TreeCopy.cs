namespace Wharf.Linux;

/// <summary>
/// Copies file trees without ever following a symlink (layer and volume trees are full of
/// hostile ones): every entry keeps its type, owner, mode, xattrs and times; hard links inside
/// the tree stay hard links; symlinks are copied as links; sockets are skipped, as tar does.
/// </summary>
public static class TreeCopy
{
    // Do not skip dot files, which .NET calls hidden on Unix.
    private static readonly EnumerationOptions AllNames = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The names in a directory, never following a symlink.</summary>
    public static IReadOnlyList<string> ListNames(string directory)
        => [.. Directory.EnumerateFileSystemEntries(directory, "*", AllNames).Select(p => Path.GetFileName(p))];

    public static bool IsEmptyDirectory(string path) => !Directory.EnumerateFileSystemEntries(path, "*", AllNames).Any();

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, which must not exist.</summary>
    public static void Copy(string source, string destination, CancellationToken cancellationToken = default)
        => CopyEntry(source, destination, [], cancellationToken);

    /// <summary>
    /// Copies a directory's content into an existing directory, which then takes the source
    /// directory's owner, mode, xattrs and times (how Docker fills a new volume from an image).
    /// </summary>
    public static void CopyContentsInto(string source, string destination, CancellationToken cancellationToken = default)
    {
        var root = Posix.LStat(source);
        var links = new Dictionary<(uint, uint, ulong), string>();
        foreach (var name in ListNames(source))
        {
            CopyEntry(Path.Join(source, name), Path.Join(destination, name), links, cancellationToken);
        }

        CopyMetadata(source, destination, root);
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
                TrySetXattr(destination, name, value);
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
