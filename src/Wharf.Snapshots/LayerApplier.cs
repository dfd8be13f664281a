using System.Buffers;
using System.Formats.Tar;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// Unpacks one layer tar into a directory tree. Shared by both snapshotters; only whiteout
/// handling differs. The tree is private to this call (a temp dir), so checking with lstat and
/// then acting is race-free: no one else can swap a component for a symlink in between.
/// </summary>
internal sealed class LayerApplier
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string XattrPrefix = "SCHILY.xattr.";
    private const int BufferSize = 128 * 1024;

    private readonly string _root;
    private readonly IWhiteoutHandler _whiteouts;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fileSizes = new(StringComparer.Ordinal);
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];

    private LayerApplier(string root, IWhiteoutHandler whiteouts)
    {
        _root = root;
        _whiteouts = whiteouts;
    }

    /// <summary>
    /// Applies <paramref name="tar"/> to the existing directory <paramref name="root"/> and then
    /// reads the stream to its end, because the caller hashes every byte for the diff ID.
    /// </summary>
    /// <returns>The sum of the regular-file sizes the layer wrote.</returns>
    public static async Task<long> ApplyAsync(string root, IWhiteoutHandler whiteouts, Stream tar, CancellationToken cancellationToken)
    {
        var applier = new LayerApplier(root, whiteouts);
        await applier.ApplyEntriesAsync(tar, cancellationToken).ConfigureAwait(false);
        await DrainAsync(tar, cancellationToken).ConfigureAwait(false);
        return applier._fileSizes.Values.Sum();
    }

    private async Task ApplyEntriesAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await ReadNextAsync(reader, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                try
                {
                    await ApplyEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                catch (ErrnoException e)
                {
                    throw MapError(entry, e);
                }
                catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
                {
                    throw WharfException.Invalid($"invalid layer tar: unexpected EOF in \"{entry.Name}\"", e);
                }
            }

            // Directory times last: creating their children above changed them.
            foreach (var (path, time) in _directoryTimes)
            {
                Posix.LSetTimes(path, time);
            }
        }
    }

    private static async Task<TarEntry?> ReadNextAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndOfStreamException)
        {
            throw WharfException.Invalid("invalid layer tar: unexpected EOF", e);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw WharfException.Invalid($"invalid layer tar: {e.Message}", e);
        }
    }

    private async Task ApplyEntryAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        var relative = TarPath.Clean(entry.Name);
        var baseName = TarPath.BaseName(relative);
        if (baseName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ApplyWhiteout(entry, relative, baseName);
            return;
        }

        if (relative.Length == 0)
        {
            // "./": the snapshot root keeps the mode it was created with, as in moby.
            if (entry.EntryType != TarEntryType.Directory)
            {
                throw WharfException.Invalid($"tar entry \"{entry.Name}\" is not a directory but names the root");
            }

            return;
        }

        EnsureDirectories(TarPath.Parent(relative));
        var full = Path.Join(_root, relative);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!(Posix.TryLStat(full, out var existing) && existing.Kind == FileKind.Directory))
                {
                    RemoveExisting(relative);
                    Posix.MakeDirectory(full, 0b111_000_000);
                }

                SetMetadata(full, entry, setTimes: false);
                _directoryTimes.Add((full, entry.ModificationTime));
                break;

            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(relative);
                await WriteFileAsync(full, entry, cancellationToken).ConfigureAwait(false);
                SetMetadata(full, entry, setTimes: true);
                _fileSizes[relative] = entry.Length;
                break;

            case TarEntryType.SymbolicLink:
                if (entry.LinkName.Length == 0)
                {
                    throw WharfException.Invalid($"symlink \"{entry.Name}\" has an empty target");
                }

                RemoveExisting(relative);
                Posix.Symlink(entry.LinkName, full);
                SetMetadata(full, entry, setTimes: true);
                break;

            case TarEntryType.HardLink:
                CreateHardLink(entry, relative, full);
                break;

            case TarEntryType.Fifo:
                RemoveExisting(relative);
                Posix.MakeFifo(full, 0b110_000_000);
                SetMetadata(full, entry, setTimes: true);
                break;

            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw WharfException.Invalid($"tar entry \"{entry.Name}\" is a device node, which layers may not contain");

            default:
                throw WharfException.Invalid($"tar entry \"{entry.Name}\" has unsupported type {entry.EntryType}");
        }

        _written.Add(relative);
    }

    private void ApplyWhiteout(TarEntry entry, string relative, string baseName)
    {
        var directory = TarPath.Parent(relative);
        if (baseName == OpaqueMarker)
        {
            EnsureDirectories(directory);
            _whiteouts.Opaque(_root, directory, _written);
            return;
        }

        if (baseName.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            // Other .wh..wh.* names are AUFS bookkeeping (e.g. .wh..wh.plnk), not content.
            return;
        }

        var hidden = baseName[WhiteoutPrefix.Length..];
        if (hidden is "" or "." or "..")
        {
            throw WharfException.Invalid($"tar entry \"{entry.Name}\" is a malformed whiteout");
        }

        EnsureDirectories(directory);
        var target = TarPath.Combine(directory, hidden);
        ForgetSizesUnder(target);
        _whiteouts.Whiteout(Path.Join(_root, target), (uint)entry.Uid, (uint)entry.Gid);
    }

    private void CreateHardLink(TarEntry entry, string relative, string full)
    {
        var target = TarPath.Clean(entry.LinkName, $"hard link \"{entry.Name}\" target \"{entry.LinkName}\"");
        if (target.Length == 0 || target == relative)
        {
            throw WharfException.Invalid($"hard link \"{entry.Name}\" has an invalid target \"{entry.LinkName}\"");
        }

        CheckNoSymlinkComponents(TarPath.Parent(target), entry);
        var targetFull = Path.Join(_root, target);
        if (!Posix.TryLStat(targetFull, out var st))
        {
            throw WharfException.Invalid($"hard link \"{entry.Name}\" points to \"{entry.LinkName}\", which does not exist in the layer");
        }

        if (st.Kind == FileKind.Directory)
        {
            throw WharfException.Invalid($"hard link \"{entry.Name}\" points to a directory");
        }

        RemoveExisting(relative);
        Posix.Link(targetFull, full);
    }

    // Created with the default mode and fixed by SetMetadata; the tree sits in a 0700 temp dir,
    // so nobody else can open the file in between.
    private static async Task WriteFileAsync(string full, TarEntry entry, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        var output = new FileStream(full, options);
        await using (output.ConfigureAwait(false))
        {
            var copied = 0L;
            if (entry.DataStream is { } data)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    int n;
                    while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        copied += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (copied != entry.Length)
            {
                throw WharfException.Invalid($"invalid layer tar: unexpected EOF in \"{entry.Name}\"");
            }
        }
    }

    private void SetMetadata(string full, TarEntry entry, bool setTimes)
    {
        // chown clears setuid/setgid and file capabilities, so mode and xattrs come after it.
        Posix.LChown(full, (uint)entry.Uid, (uint)entry.Gid);
        if (entry.EntryType != TarEntryType.SymbolicLink)
        {
            Posix.Chmod(full, (uint)entry.Mode);
        }

        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (!key.StartsWith(XattrPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var name = key[XattrPrefix.Length..];

                // trusted.overlay.* would let an image forge overlayfs metadata (redirects,
                // opaque dirs). A U+FFFD means TarReader decoded a binary value lossily; writing
                // it would store a corrupt value, so skip it.
                if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal) || value.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    continue;
                }

                TreeCopy.TrySetXattr(full, name, Encoding.UTF8.GetBytes(value));
            }
        }

        if (setTimes)
        {
            Posix.LSetTimes(full, entry.ModificationTime);
        }
    }

    /// <summary>Makes every component of <paramref name="relative"/> a real directory, never following a symlink.</summary>
    private void EnsureDirectories(string relative)
    {
        if (relative.Length == 0)
        {
            return;
        }

        var current = string.Empty;
        foreach (var part in relative.Split('/'))
        {
            current = TarPath.Combine(current, part);
            var full = Path.Join(_root, current);
            if (!Posix.TryLStat(full, out var st))
            {
                Posix.MakeDirectory(full, 0b111_101_101);
            }
            else if (st.Kind == FileKind.SymbolicLink)
            {
                throw WharfException.Invalid($"layer writes through symlink \"{current}\"");
            }
            else if (st.Kind != FileKind.Directory)
            {
                throw WharfException.Invalid($"layer writes under \"{current}\", which is not a directory");
            }

            _written.Add(current);
        }
    }

    private void CheckNoSymlinkComponents(string relative, TarEntry entry)
    {
        if (relative.Length == 0)
        {
            return;
        }

        var current = string.Empty;
        foreach (var part in relative.Split('/'))
        {
            current = TarPath.Combine(current, part);
            if (!Posix.TryLStat(Path.Join(_root, current), out var st) || st.Kind != FileKind.Directory)
            {
                throw WharfException.Invalid($"hard link \"{entry.Name}\" target \"{entry.LinkName}\" does not resolve inside the layer");
            }
        }
    }

    private void RemoveExisting(string relative)
    {
        var full = Path.Join(_root, relative);
        if (Posix.TryLStat(full, out _))
        {
            ForgetSizesUnder(relative);
            FileTree.RemoveAll(full);
        }
    }

    private void ForgetSizesUnder(string relative)
    {
        _fileSizes.Remove(relative);
        var prefix = relative + "/";
        foreach (var key in _fileSizes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _fileSizes.Remove(key);
        }
    }

    private static WharfException MapError(TarEntry entry, ErrnoException e)
    {
        // Errors a malformed tar can provoke are the client's fault; the rest are the host's.
        var kind = e.Errno is Errno.ENAMETOOLONG or Errno.ENOTDIR or Errno.EISDIR or Errno.EEXIST
            or Errno.ELOOP or Errno.EINVAL or Errno.EMLINK or Errno.ENOTEMPTY or Errno.ENOENT
            ? ErrorKind.InvalidArgument
            : ErrorKind.Internal;
        return new WharfException(kind, $"applying tar entry \"{entry.Name}\": {e.Message}", e);
    }

    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
