using System.Formats.Tar;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

/// <summary>
/// Writes files to a tar from directory handles, the way Docker's archiver names them
/// (directories end with "/", repeated inodes become hard links to the first name). Every
/// lookup is one name below a handle we hold and never follows a symlink, so a tree that
/// changes while we read it (a running container) can only ever show us its own files. Files
/// on kernel-interface file systems (proc, sysfs, ...) are archived empty and their
/// directories without children: their contents describe the host, not the container.
/// USTAR headers when they suffice (what Go's tar writer picks), PAX otherwise.
/// </summary>
internal sealed class TreeTarWriter : IAsyncDisposable
{
    private const int MaxUstarName = 100;
    private const long MaxUstarId = 0x1FFFFF;
    private readonly TarWriter _writer;
    private readonly Stream _output;
    private bool _wroteEntries;
    private readonly Dictionary<(uint Major, uint Minor, ulong Inode), string> _links = [];

    public TreeTarWriter(Stream output)
    {
        _output = output;
        _writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
    }

    /// <summary>
    /// Writes <paramref name="name"/> in <paramref name="parent"/> (already lstat'ed as
    /// <paramref name="status"/>) as <paramref name="tarName"/>, and a directory's whole tree below it.
    /// </summary>
    public async Task WriteTreeAsync(SafeFileHandle parent, string name, FileStatus status, string tarName, CancellationToken cancellationToken)
    {
        await WriteEntryAsync(parent, name, status, tarName, cancellationToken).ConfigureAwait(false);
        if (status.Kind != FileKind.Directory)
        {
            return;
        }

        using var dir = TryOpenDirectory(parent, name);
        if (dir is not null)
        {
            await WriteChildrenAsync(dir, tarName.TrimEnd('/'), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes everything below <paramref name="dir"/>, names prefixed with <paramref name="prefix"/> ("" for none).</summary>
    public async Task WriteChildrenAsync(SafeFileHandle dir, string prefix, CancellationToken cancellationToken)
    {
        if (PosixAt.IsPseudoFileSystem(dir))
        {
            return;
        }

        var names = PosixAt.ListDirectory(dir).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var child in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!PosixAt.TryStatAt(dir, child, out var st))
            {
                continue;
            }

            var childName = prefix.Length == 0 ? child : prefix == "/" ? "/" + child : prefix + "/" + child;
            await WriteTreeAsync(dir, child, st, childName, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one entry (no children).</summary>
    public async Task WriteEntryAsync(SafeFileHandle parent, string name, FileStatus status, string tarName, CancellationToken cancellationToken)
    {
        if (status.Kind is not FileKind.Directory && status.LinkCount > 1)
        {
            var key = (status.DeviceMajor, status.DeviceMinor, status.Inode);
            if (_links.TryGetValue(key, out var first))
            {
                await WriteAsync(NewEntry(TarEntryType.HardLink, tarName, status, first), cancellationToken).ConfigureAwait(false);
                return;
            }

            _links[key] = tarName;
        }

        switch (status.Kind)
        {
            case FileKind.Directory:
                await WriteAsync(NewEntry(TarEntryType.Directory, tarName.EndsWith('/') ? tarName : tarName + "/", status, null), cancellationToken).ConfigureAwait(false);
                break;
            case FileKind.RegularFile:
                await WriteFileAsync(parent, name, status, tarName, cancellationToken).ConfigureAwait(false);
                break;
            case FileKind.SymbolicLink:
                string target;
                try
                {
                    target = PosixAt.ReadLinkAt(parent, name);
                }
                catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL)
                {
                    return;
                }

                await WriteAsync(NewEntry(TarEntryType.SymbolicLink, tarName, status, target), cancellationToken).ConfigureAwait(false);
                break;
            case FileKind.Fifo:
                await WriteAsync(NewEntry(TarEntryType.Fifo, tarName, status, null), cancellationToken).ConfigureAwait(false);
                break;
            case FileKind.CharacterDevice or FileKind.BlockDevice:
                var device = NewEntry(status.Kind == FileKind.CharacterDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, tarName, status, null);
                device.DeviceMajor = (int)status.RdevMajor;
                device.DeviceMinor = (int)status.RdevMinor;
                await WriteAsync(device, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // Sockets cannot be archived (Docker skips them too).
                break;
        }
    }

    /// <summary>Writes an entry built by the caller (whiteouts of a layer diff).</summary>
    public Task WriteAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        _wroteEntries = true;
        return _writer.WriteEntryAsync(entry, cancellationToken);
    }

    /// <summary>A header for <paramref name="tarName"/> with the owner, mode and mtime of <paramref name="status"/>.</summary>
    public static PosixTarEntry NewEntry(TarEntryType type, string tarName, FileStatus status, string? linkName)
    {
        var ustar = Encoding.UTF8.GetByteCount(tarName) <= MaxUstarName
            && (linkName is null || Encoding.UTF8.GetByteCount(linkName) <= MaxUstarName)
            && status.Uid <= MaxUstarId && status.Gid <= MaxUstarId
            && IsAscii(tarName) && (linkName is null || IsAscii(linkName));
        PosixTarEntry entry = ustar ? new UstarTarEntry(type, tarName) : new PaxTarEntry(type, tarName);
        entry.Mode = (UnixFileMode)status.Permissions;
        entry.Uid = (int)status.Uid;
        entry.Gid = (int)status.Gid;
        entry.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(Math.Max(0, status.ModifySeconds));
        if (linkName is not null)
        {
            entry.LinkName = linkName;
        }

        return entry;
    }

    /// <summary>
    /// Ends the archive. An archive without entries still gets its two zero blocks (the tar
    /// writer omits them): an empty layer is those 1024 bytes, which is how commit recognises it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (!_wroteEntries)
        {
            await _output.WriteAsync(new byte[1024]).ConfigureAwait(false);
        }
    }

    private async Task WriteFileAsync(SafeFileHandle parent, string name, FileStatus status, string tarName, CancellationToken cancellationToken)
    {
        SafeFileHandle handle;
        try
        {
            handle = PosixAt.OpenAt(parent, name, OpenOptions.ReadOnly | OpenOptions.NoFollow | OpenOptions.NonBlock);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR)
        {
            // Removed or swapped for a symlink since we listed it.
            return;
        }

        using (handle)
        {
            var now = PosixAt.Stat(handle);
            if (now.Kind != FileKind.RegularFile || now.Inode != status.Inode)
            {
                return;
            }

            var size = PosixAt.IsPseudoFileSystem(handle) ? 0 : (long)now.Size;
            var entry = NewEntry(TarEntryType.RegularFile, tarName, now, null);
            var data = new FixedLengthStream(new FileStream(handle, FileAccess.Read, 1, isAsync: false), size);
            await using (data.ConfigureAwait(false))
            {
                entry.DataStream = data;
                await WriteAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static SafeFileHandle? TryOpenDirectory(SafeFileHandle parent, string name)
    {
        try
        {
            return PosixAt.OpenAt(parent, name, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR)
        {
            return null;
        }
    }

    private static bool IsAscii(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7f)
            {
                return false;
            }
        }

        return true;
    }
}
