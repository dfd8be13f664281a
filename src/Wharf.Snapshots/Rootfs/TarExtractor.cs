using System.Buffers;
using System.Formats.Tar;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

/// <summary>
/// Unpacks a tar into a directory of a container, as Docker's untar does (existing files are
/// replaced, directories merged, missing parents created 0755) but confined to that
/// directory: every entry, link target and parent is resolved by openat2 with the destination
/// as root, so neither "..", absolute names, symlinks in the tar or already in the container,
/// nor a container racing us can put a file outside it. Names that climb above the
/// destination and symlinks or hard links pointing out of it are refused, as Docker refuses
/// them; device nodes are refused too (a container has no business receiving them this way).
/// </summary>
internal sealed class TarExtractor
{
    private const ResolveOptions Scoped = ResolveOptions.InRoot | ResolveOptions.NoMagicLinks;
    private const string XattrPrefix = "SCHILY.xattr.";
    private const int BufferSize = 128 * 1024;

    private readonly SafeFileHandle _dest;
    private readonly string _destPath;
    private readonly ArchiveExtractOptions _options;
    private readonly string _readOnlyMessage;
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];

    private TarExtractor(SafeFileHandle dest, string destPath, ArchiveExtractOptions options, string readOnlyMessage)
    {
        _dest = dest;
        _destPath = destPath;
        _options = options;
        _readOnlyMessage = readOnlyMessage;
    }

    /// <param name="dest">A handle of the destination directory.</param>
    /// <param name="destPath">The destination as the container names it, for messages.</param>
    /// <param name="readOnlyMessage">What to say when the destination's mount is read-only.</param>
    public static async Task ExtractAsync(SafeFileHandle dest, string destPath, Stream tar, ArchiveExtractOptions options, string readOnlyMessage, CancellationToken cancellationToken)
    {
        var extractor = new TarExtractor(dest, destPath, options, readOnlyMessage);
        await extractor.RunAsync(tar, cancellationToken).ConfigureAwait(false);
    }

    private static WharfException TarError(string message, Exception? inner = null)
        => WharfException.Invalid("Error processing tar file: " + message, inner);

    private async Task RunAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await ReadNextAsync(reader, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                try
                {
                    await ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
                }
                catch (ErrnoException e)
                {
                    throw MapError(entry, e);
                }
                catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
                {
                    throw TarError("unexpected EOF", e);
                }
            }

            // Directory times last: creating their children changed them.
            foreach (var (path, time) in _directoryTimes)
            {
                try
                {
                    using var dir = PosixAt.OpenInRoot(_dest, path, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow, Scoped);
                    PosixAt.SetTimesAt(dir, ".", time);
                }
                catch (ErrnoException)
                {
                    // Replaced meanwhile; the times of something else are not ours to fix.
                }
            }
        }
    }

    private static async Task<TarEntry?> ReadNextAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw TarError("unexpected EOF", e);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or OverflowException or InvalidOperationException)
        {
            throw TarError("archive/tar: invalid tar header", e);
        }
    }

    private async Task ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        var relative = ScopedPath.CleanEntryName(entry.Name) ?? throw TarError($"\"{entry.Name}\" is outside of \"{_destPath}\"");
        if (entry.Name.Contains('\0', StringComparison.Ordinal))
        {
            throw TarError($"\"{entry.Name}\" contains NUL");
        }

        if (relative.Length == 0)
        {
            // "." or "/": Docker leaves the destination's own metadata alone.
            return;
        }

        var slash = relative.LastIndexOf('/');
        var parentPath = slash < 0 ? "" : relative[..slash];
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        using var parent = OpenParent(parentPath);
        if (PosixAt.IsPseudoFileSystem(parent))
        {
            throw new WharfException(ErrorKind.Forbidden, $"cannot write {FullPath(relative)}: it is on a kernel file system");
        }

        var isDir = entry.EntryType == TarEntryType.Directory;
        if (PosixAt.TryStatAt(parent, name, out var existing))
        {
            var existingIsDir = existing.Kind == FileKind.Directory;
            if (_options.NoOverwriteDirNonDir && existingIsDir && !isDir)
            {
                throw TarError($"cannot overwrite directory \"{FullPath(relative)}\" with non-directory \"{_destPath}\"");
            }

            if (_options.NoOverwriteDirNonDir && !existingIsDir && isDir)
            {
                throw TarError($"cannot overwrite non-directory \"{FullPath(relative)}\" with directory \"{_destPath}\"");
            }

            if (!(existingIsDir && isDir))
            {
                RemoveAll(parent, name, existing);
            }
        }

        var (uid, gid) = _options.Owner ?? ((uint)entry.Uid, (uint)entry.Gid);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!PosixAt.TryStatAt(parent, name, out _))
                {
                    PosixAt.MakeDirectoryAt(parent, name, 0b111_000_000);
                }

                using (var dir = PosixAt.OpenAt(parent, name, OpenOptions.ReadOnly | OpenOptions.Directory | OpenOptions.NoFollow))
                {
                    PosixAt.ChownHandle(dir, uid, gid);
                    PosixAt.ChmodHandle(dir, (uint)entry.Mode);
                    SetXattrs(dir, entry);
                }

                _directoryTimes.Add((relative, entry.ModificationTime));
                break;

            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                await WriteFileAsync(parent, name, entry, uid, gid, cancellationToken).ConfigureAwait(false);
                PosixAt.SetTimesAt(parent, name, entry.ModificationTime);
                break;

            case TarEntryType.SymbolicLink:
                if (!ScopedPath.SymlinkStaysInside(relative, entry.LinkName))
                {
                    throw TarError($"invalid symlink \"{FullPath(relative)}\" -> \"{entry.LinkName}\"");
                }

                PosixAt.SymlinkAt(entry.LinkName, parent, name);
                using (var link = PosixAt.OpenAt(parent, name, OpenOptions.Path | OpenOptions.NoFollow))
                {
                    PosixAt.ChownHandle(link, uid, gid);
                }

                PosixAt.SetTimesAt(parent, name, entry.ModificationTime);
                break;

            case TarEntryType.HardLink:
                var target = ScopedPath.CleanEntryName(entry.LinkName);
                if (target is null or "")
                {
                    throw TarError($"invalid hardlink \"{entry.LinkName}\" -> \"{entry.LinkName}\"");
                }

                using (var existingFile = OpenLinkTarget(target, entry))
                {
                    PosixAt.LinkAt(existingFile, parent, name);
                }

                break;

            case TarEntryType.Fifo:
                PosixAt.MakeFifoAt(parent, name, 0b110_000_000);
                using (var fifo = PosixAt.OpenAt(parent, name, OpenOptions.Path | OpenOptions.NoFollow))
                {
                    PosixAt.ChownHandle(fifo, uid, gid);
                    PosixAt.ChmodHandle(fifo, (uint)entry.Mode);
                }

                PosixAt.SetTimesAt(parent, name, entry.ModificationTime);
                break;

            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw TarError($"\"{entry.Name}\" is a device node; copying device nodes into a container is not allowed");

            case TarEntryType.ExtendedAttributes or TarEntryType.LongLink or TarEntryType.LongPath:
                break;

            default:
                throw TarError($"unhandled tar header type {(int)entry.EntryType}");
        }
    }

    /// <summary>
    /// Opens the entry's parent directory below the destination, creating missing components
    /// (0755, owned by root, as Docker does). When a symlink on the way points to something
    /// missing, its target is created inside the destination, as a chroot'ed MkdirAll would.
    /// </summary>
    private SafeFileHandle OpenParent(string parentPath)
    {
        try
        {
            return PosixAt.OpenInRoot(_dest, parentPath, OpenOptions.Path | OpenOptions.Directory, Scoped);
        }
        catch (ErrnoException e) when (e.Errno == Errno.ENOENT)
        {
        }

        // Resolve every link to a plain path inside the destination, then walk it one name at
        // a time without following anything, creating what is missing.
        var resolved = ScopedPath.Resolve("/" + parentPath, ReadLinkOrNull, followFinal: true);
        var current = PosixAt.OpenInRoot(_dest, "", OpenOptions.Path | OpenOptions.Directory, Scoped);
        try
        {
            foreach (var part in resolved.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!PosixAt.TryStatAt(current, part, out _))
                {
                    if (PosixAt.IsPseudoFileSystem(current))
                    {
                        throw new WharfException(ErrorKind.Forbidden, $"cannot write below {FullPath(parentPath)}: it is on a kernel file system");
                    }

                    PosixAt.MakeDirectoryAt(current, part, 0b111_101_101);
                    using var created = PosixAt.OpenAt(current, part, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
                    PosixAt.ChownHandle(created, 0, 0);
                }

                var next = PosixAt.OpenAt(current, part, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
                current.Dispose();
                current = next;
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>The link target of a symlink-free path's last element below the destination, or null.</summary>
    private string? ReadLinkOrNull(string path)
    {
        try
        {
            using var handle = PosixAt.OpenInRoot(_dest, path, OpenOptions.Path | OpenOptions.NoFollow, Scoped);
            return PosixAt.Stat(handle).Kind == FileKind.SymbolicLink ? PosixAt.ReadLinkAt(handle, "") : null;
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
        {
            return null;
        }
    }

    private SafeFileHandle OpenLinkTarget(string target, TarEntry entry)
    {
        try
        {
            var handle = PosixAt.OpenInRoot(_dest, target, OpenOptions.Path | OpenOptions.NoFollow, Scoped);
            if (PosixAt.Stat(handle).Kind == FileKind.Directory)
            {
                handle.Dispose();
                throw TarError($"invalid hardlink \"{FullPath(ScopedPath.CleanEntryName(entry.Name) ?? entry.Name)}\" -> \"{entry.LinkName}\": target is a directory");
            }

            return handle;
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            throw TarError($"invalid hardlink \"{FullPath(ScopedPath.CleanEntryName(entry.Name) ?? entry.Name)}\" -> \"{entry.LinkName}\": no such file");
        }
    }

    private async Task WriteFileAsync(SafeFileHandle parent, string name, TarEntry entry, uint uid, uint gid, CancellationToken cancellationToken)
    {
        var handle = PosixAt.OpenAt(parent, name, OpenOptions.WriteOnly | OpenOptions.Create | OpenOptions.Exclusive | OpenOptions.NoFollow, 0b110_000_000);
        var output = new FileStream(handle, FileAccess.Write, 1, isAsync: false);
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
                throw TarError("unexpected EOF");
            }

            // chown clears setuid/setgid and file capabilities: mode and xattrs come after it.
            PosixAt.ChownHandle(handle, uid, gid);
            PosixAt.ChmodHandle(handle, (uint)entry.Mode);
            SetXattrs(handle, entry);
        }
    }

    private static void SetXattrs(SafeFileHandle handle, TarEntry entry)
    {
        if (entry is not PaxTarEntry pax)
        {
            return;
        }

        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (!key.StartsWith(XattrPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[XattrPrefix.Length..];

            // trusted.* is the kernel's and overlayfs's own metadata; U+FFFD means the value was
            // binary and decoded lossily, and writing it would store a corrupt value.
            if (name.StartsWith("trusted.", StringComparison.Ordinal) || value.Contains('\uFFFD', StringComparison.Ordinal))
            {
                continue;
            }

            PosixAt.TrySetXattr(handle, name, Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>Removes a file or a whole tree below <paramref name="parent"/>, never following symlinks.</summary>
    private static void RemoveAll(SafeFileHandle parent, string name, FileStatus status)
    {
        if (status.Kind == FileKind.Directory)
        {
            using (var dir = PosixAt.OpenAt(parent, name, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow))
            {
                foreach (var child in PosixAt.ListDirectory(dir))
                {
                    if (PosixAt.TryStatAt(dir, child, out var st))
                    {
                        RemoveAll(dir, child, st);
                    }
                }
            }

            PosixAt.UnlinkAt(parent, name, directory: true);
            return;
        }

        PosixAt.UnlinkAt(parent, name, directory: false);
    }

    private string FullPath(string relative) => ScopedPath.Join(_destPath, relative);

    private WharfException MapError(TarEntry entry, ErrnoException e)
    {
        if (e.Errno == Errno.EROFS)
        {
            return new WharfException(ErrorKind.Forbidden, _readOnlyMessage, e);
        }

        if (e.Errno is Errno.EACCES or Errno.EPERM)
        {
            return new WharfException(ErrorKind.Forbidden, $"Error processing tar file: {entry.Name}: {Describe(e)}", e);
        }

        var kind = e.Errno is Errno.ENAMETOOLONG or Errno.ENOTDIR or Errno.EISDIR or Errno.EEXIST
            or Errno.ELOOP or Errno.EINVAL or Errno.EMLINK or Errno.ENOTEMPTY or Errno.ENOENT or Errno.EXDEV or Errno.EBUSY
            ? ErrorKind.InvalidArgument
            : ErrorKind.Internal;
        return new WharfException(kind, $"Error processing tar file: {entry.Name}: {Describe(e)}", e);
    }

    private static string Describe(ErrnoException e)
        => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(e.Errno).ToLowerInvariant();
}
