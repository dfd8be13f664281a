using System.Formats.Tar;
using Microsoft.Win32.SafeHandles;
using Wharf.Core.Containers.Files;
using Wharf.Linux;
using Wharf.Snapshots.Rootfs;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// Writes a change list as a layer tar in the OCI format: changed and added names from the
/// container's layer, deletions as empty <c>.wh.name</c> files, an overlay opaque directory
/// as its entry followed by <c>.wh..wh..opq</c>. Every change's parent directories come
/// first (with the layer's owner and mode), so unpacking the layer never invents a directory
/// the image had with other metadata. Names are relative ("etc/passwd", "etc/").
/// </summary>
internal sealed class DiffTarWriter
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const ResolveOptions Scoped = ResolveOptions.InRoot | ResolveOptions.NoSymlinks | ResolveOptions.NoMagicLinks;

    private readonly SafeFileHandle _layer;
    private readonly TreeTarWriter _writer;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal) { "/" };

    private DiffTarWriter(SafeFileHandle layer, TreeTarWriter writer)
    {
        _layer = layer;
        _writer = writer;
    }

    /// <param name="layerDir">The upper dir (overlay) or the container's whole tree (vfs).</param>
    public static async Task WriteAsync(string layerDir, IReadOnlyList<(FileChange Change, DiffNode Node)> changes, Stream output, CancellationToken cancellationToken)
    {
        using var layer = PosixAt.Open(layerDir, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        var writer = new TreeTarWriter(output);
        await using (writer.ConfigureAwait(false))
        {
            var diff = new DiffTarWriter(layer, writer);
            foreach (var (change, node) in changes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await diff.WriteChangeAsync(change, node, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteChangeAsync(FileChange change, DiffNode node, CancellationToken cancellationToken)
    {
        if (!_written.Add(change.Path))
        {
            return;
        }

        var parent = ChangeList.ParentOf(change.Path);
        await EnsureDirectoryAsync(parent, cancellationToken).ConfigureAwait(false);
        var name = node.Name;
        if (change.Kind == FileChangeKind.Deleted)
        {
            if (node.HiddenByOpaque)
            {
                return;
            }

            var whiteout = node.Whiteout;
            var entry = new PaxTarEntry(TarEntryType.RegularFile, Relative(parent, WhiteoutPrefix + name))
            {
                Mode = (UnixFileMode)0b110_000_000,
                Uid = (int)(whiteout?.Uid ?? 0),
                Gid = (int)(whiteout?.Gid ?? 0),
                ModificationTime = whiteout is { } w ? DateTimeOffset.FromUnixTimeSeconds(Math.Max(0, w.ModifySeconds)) : DateTimeOffset.UnixEpoch,
            };
            await _writer.WriteAsync(ToUstar(entry), cancellationToken).ConfigureAwait(false);
            return;
        }

        using var dir = OpenDirectory(parent);
        if (dir is null || !PosixAt.TryStatAt(dir, name, out var st))
        {
            return;
        }

        var tarName = Relative(parent, name);
        await _writer.WriteEntryAsync(dir, name, st, tarName, cancellationToken).ConfigureAwait(false);
        if (st.Kind == FileKind.Directory && node.Opaque)
        {
            var marker = TreeTarWriter.NewEntry(TarEntryType.RegularFile, tarName + "/" + OpaqueMarker, st, null);
            await _writer.WriteAsync(marker, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the entries of <paramref name="path"/> and its ancestors that are not in the tar yet.</summary>
    private async Task EnsureDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (_written.Contains(path))
        {
            return;
        }

        var parent = ChangeList.ParentOf(path);
        await EnsureDirectoryAsync(parent, cancellationToken).ConfigureAwait(false);
        _written.Add(path);
        var name = path[(path.LastIndexOf('/') + 1)..];
        using var dir = OpenDirectory(parent);
        if (dir is not null && PosixAt.TryStatAt(dir, name, out var st) && st.Kind == FileKind.Directory)
        {
            await _writer.WriteEntryAsync(dir, name, st, Relative(parent, name), cancellationToken).ConfigureAwait(false);
        }
    }

    private SafeFileHandle? OpenDirectory(string path)
    {
        try
        {
            return PosixAt.OpenInRoot(_layer, path, OpenOptions.Path | OpenOptions.Directory, Scoped);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.EXDEV)
        {
            return null;
        }
    }

    private static string Relative(string parent, string name) => parent == "/" ? name : parent[1..] + "/" + name;

    private static TarEntry ToUstar(PaxTarEntry pax)
        => new UstarTarEntry(pax.EntryType, pax.Name) { Mode = pax.Mode, Uid = pax.Uid, Gid = pax.Gid, ModificationTime = pax.ModificationTime };
}
