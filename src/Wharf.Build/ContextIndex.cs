using System.Formats.Tar;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// A build context kept as the tar the client sent (spooled to one file) plus an index of what
/// unpacking it would leave: name, type, mode, time and where each file's bytes are in the
/// spool. Entries are written to disk only when a step asks for them
/// (<see cref="Materialize"/>), so a big context costs one sequential write instead of one file
/// per entry, and a build that copies one file of it unpacks one file. The index applies the
/// same checks and the same replace rules as unpacking entry by entry: no name leaves the
/// root, no entry goes through a symlink, a later entry replaces an earlier one of the same
/// name (a directory replaced by a file loses its children), hard links only to earlier files.
/// </summary>
internal sealed class ContextIndex : IDisposable
{
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _onDisk = new(StringComparer.Ordinal);
    private readonly HashSet<string> _treesOnDisk = new(StringComparer.Ordinal);
    private readonly string _root;
    private readonly FileStream _spool;
    private readonly Lock _gate = new();

    private ContextIndex(string root, FileStream spool)
    {
        _root = root;
        _spool = spool;
    }

    private enum Kind
    {
        Directory,
        File,
        Symlink,
    }

    /// <summary>One name of the unpacked context. Implicit directories were made for an entry's parents.</summary>
    private sealed record Node(Kind Kind, UnixFileMode? Mode, DateTimeOffset? Time, long Offset, long Length, string? Link);

    /// <summary>Copies <paramref name="tar"/> to <paramref name="spoolPath"/> and indexes it.</summary>
    public static async Task<ContextIndex> SpoolAsync(Stream tar, string root, string spoolPath, CancellationToken cancellationToken)
    {
        var spool = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        var index = new ContextIndex(root, spool);
        try
        {
            await tar.CopyToAsync(spool, 1 << 20, cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            await index.ReadAsync(cancellationToken).ConfigureAwait(false);
            return index;
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var reader = new TarReader(_spool, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    Add(entry);
                }
            }
            catch (InvalidDataException e)
            {
                throw WharfException.Invalid("invalid build context: " + e.Message, e);
            }
            catch (EndOfStreamException e)
            {
                throw WharfException.Invalid("invalid build context: unexpected end of the tar stream", e);
            }
        }
    }

    private void Add(TarEntry entry)
    {
        if (ContextDir.CleanEntryName(entry.Name) is not { } rel)
        {
            return;
        }

        AddParents(rel);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (_nodes.TryGetValue(rel, out var existing) && existing.Kind == Kind.Directory)
                {
                    // The first explicit mode and time stay, as unpacking entry by entry leaves them.
                    if (existing.Mode is null)
                    {
                        _nodes[rel] = existing with { Mode = entry.Mode, Time = entry.ModificationTime };
                    }
                }
                else
                {
                    Replace(rel, new Node(Kind.Directory, entry.Mode, entry.ModificationTime, 0, 0, null));
                }

                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                Replace(rel, new Node(Kind.File, entry.Mode, entry.ModificationTime, entry.DataOffset < 0 ? 0 : entry.DataOffset, entry.Length, null));
                break;
            case TarEntryType.SymbolicLink:
                Replace(rel, new Node(Kind.Symlink, null, null, 0, 0, entry.LinkName));
                break;
            case TarEntryType.HardLink:
                var target = ContextDir.CleanEntryName(entry.LinkName) ?? throw WharfException.Invalid($"invalid build context: hard link {entry.Name} to the root");
                if (!_nodes.TryGetValue(target, out var file) || file.Kind != Kind.File)
                {
                    throw WharfException.Invalid($"invalid build context: hard link {entry.Name} to a missing file {entry.LinkName}");
                }

                // Unpacked as a copy of the file it links to.
                Replace(rel, file with { Time = null });
                break;
            default:
                // Devices, fifos and global headers have no place in a context: skipped.
                break;
        }
    }

    /// <summary>Every parent of a new entry is a directory (made if missing), never a symlink.</summary>
    private void AddParents(string rel)
    {
        var at = rel.IndexOf('/', StringComparison.Ordinal);
        while (at > 0)
        {
            var parent = rel[..at];
            if (_nodes.TryGetValue(parent, out var node))
            {
                if (node.Kind == Kind.Symlink)
                {
                    throw WharfException.Invalid($"invalid build context: the entry {rel} goes through the symlink {parent}");
                }

                if (node.Kind == Kind.File)
                {
                    _nodes[parent] = new Node(Kind.Directory, null, null, 0, 0, null);
                }
            }
            else
            {
                _nodes[parent] = new Node(Kind.Directory, null, null, 0, 0, null);
            }

            at = rel.IndexOf('/', at + 1);
        }
    }

    private void Replace(string rel, Node node)
    {
        if (_nodes.TryGetValue(rel, out var old) && old.Kind == Kind.Directory)
        {
            RemoveBelow(rel);
        }

        _nodes[rel] = node;
    }

    private void RemoveBelow(string rel)
    {
        var prefix = rel + "/";
        foreach (var name in _nodes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _nodes.Remove(name);
        }
    }

    /// <summary>Every name of the context, each directory's entries in byte order after the directory.</summary>
    public IReadOnlyList<string> Names()
    {
        lock (_gate)
        {
            var names = _nodes.Keys.ToList();
            names.Sort(ComparePaths);
            return names;
        }
    }

    /// <summary>Orders paths element by element, so "a/x" sorts before "a.b" as a directory walk meets them.</summary>
    internal static int ComparePaths(string? a, string? b)
    {
        var x = (a ?? "").AsSpan();
        var y = (b ?? "").AsSpan();
        while (true)
        {
            var i = x.IndexOf('/');
            var j = y.IndexOf('/');
            var headX = i < 0 ? x : x[..i];
            var headY = j < 0 ? y : y[..j];
            var c = headX.SequenceCompareTo(headY);
            if (c != 0)
            {
                return c;
            }

            if (i < 0 || j < 0)
            {
                return (i < 0 ? 0 : 1) - (j < 0 ? 0 : 1);
            }

            x = x[(i + 1)..];
            y = y[(j + 1)..];
        }
    }

    /// <summary>
    /// Writes <paramref name="rel"/> ("" for the root) and its parents to disk; with
    /// <paramref name="recursive"/> also everything below it. Entries already written are left.
    /// </summary>
    public void Materialize(string rel, bool recursive)
    {
        lock (_gate)
        {
            if (_treesOnDisk.Contains("") || (recursive ? _treesOnDisk.Contains(rel) : _onDisk.Contains(rel)))
            {
                return;
            }

            var names = new List<string>();
            var at = rel.IndexOf('/', StringComparison.Ordinal);
            while (at > 0)
            {
                names.Add(rel[..at]);
                at = rel.IndexOf('/', at + 1);
            }

            if (rel.Length > 0)
            {
                names.Add(rel);
            }

            if (recursive && (rel.Length == 0 || (_nodes.TryGetValue(rel, out var top) && top.Kind == Kind.Directory)))
            {
                var prefix = rel.Length == 0 ? "" : rel + "/";
                var below = _nodes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !_onDisk.Contains(k)).ToList();
                below.Sort(ComparePaths);
                names.AddRange(below);
            }

            if (recursive)
            {
                _treesOnDisk.Add(rel);
            }

            var touched = new List<string>();
            foreach (var name in names)
            {
                if (_onDisk.Contains(name) || !_nodes.TryGetValue(name, out var node))
                {
                    continue;
                }

                Write(name, node);
                _onDisk.Add(name);
                touched.Add(name);
            }

            // Writing a child changed its directory's time: the tar's times go back on last, deepest first.
            var dirs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in touched)
            {
                var slash = name.LastIndexOf('/');
                dirs.Add(slash < 0 ? "" : name[..slash]);
                if (_nodes[name].Kind == Kind.Directory)
                {
                    dirs.Add(name);
                }
            }

            foreach (var dir in dirs.Where(d => d.Length > 0).OrderByDescending(d => d.Count(c => c == '/')))
            {
                if (_nodes.TryGetValue(dir, out var node) && node.Time is { } time)
                {
                    Directory.SetLastWriteTimeUtc(Path.Combine(_root, dir), time.UtcDateTime);
                }
            }
        }
    }

    private void Write(string name, Node node)
    {
        var path = Path.Combine(_root, name);
        switch (node.Kind)
        {
            case Kind.Directory:
                Directory.CreateDirectory(path);
                if (node.Mode is { } mode)
                {
                    File.SetUnixFileMode(path, mode);
                }

                break;
            case Kind.Symlink:
                File.CreateSymbolicLink(path, node.Link!);
                break;
            default:
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    var buffer = new byte[(int)Math.Min(1 << 16, Math.Max(1, node.Length))];
                    var left = node.Length;
                    var offset = node.Offset;
                    while (left > 0)
                    {
                        var n = RandomAccess.Read(_spool.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, left)), offset);
                        if (n == 0)
                        {
                            throw WharfException.Invalid($"invalid build context: {name} is cut short");
                        }

                        file.Write(buffer, 0, n);
                        left -= n;
                        offset += n;
                    }
                }

                File.SetUnixFileMode(path, node.Mode ?? (UnixFileMode)0b110_100_100);
                if (node.Time is { } time)
                {
                    File.SetLastWriteTimeUtc(path, time.UtcDateTime);
                }

                break;
        }
    }

    /// <summary>Takes a name out of the context (and off the disk if it was written).</summary>
    public void Remove(string rel)
    {
        lock (_gate)
        {
            if (_nodes.Remove(rel, out var node) && node.Kind == Kind.Directory)
            {
                RemoveBelow(rel);
            }

            _onDisk.RemoveWhere(n => n == rel || n.StartsWith(rel + "/", StringComparison.Ordinal));
        }
    }

    public void Dispose() => _spool.Dispose();
}
