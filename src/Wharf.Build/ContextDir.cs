using System.Formats.Tar;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// A build context unpacked into a private directory. Entries are checked on the way in (no
/// absolute names, no <c>..</c> out of the root, hard links only to earlier entries inside);
/// symlinks are kept as written and only ever resolved inside the root
/// (<see cref="Resolve"/>), so nothing a context holds can reach the host's files.
/// </summary>
internal sealed class ContextDir : IDisposable
{
    private readonly ContextIndex? _index;

    private ContextDir(string root, ContextIndex? index = null)
    {
        Root = root;
        _index = index;
    }

    /// <summary>
    /// The directory the context is (being) unpacked in. A context from a tar stream writes its
    /// entries there only when asked through <see cref="FullPath"/> or <see cref="Resolve"/>.
    /// </summary>
    public string Root { get; }

    /// <summary>
    /// A context from a tar stream: the stream is kept in one spool file beside
    /// <paramref name="root"/> and indexed; entries are unpacked on first use.
    /// </summary>
    public static async Task<ContextDir> ExtractAsync(Stream tar, string root, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        try
        {
            var index = await ContextIndex.SpoolAsync(tar, root, root + ".tar", cancellationToken).ConfigureAwait(false);
            return new ContextDir(root, index);
        }
        catch
        {
            new ContextDir(root).Dispose();
            throw;
        }
    }

    /// <summary>Takes a directory made by the daemon itself (a git checkout) as the context.</summary>
    public static ContextDir Adopt(string root) => new(root);

    public static ContextDir Empty(string root)
    {
        Directory.CreateDirectory(root);
        return new ContextDir(root);
    }

    /// <summary>Unpacks a tar under <paramref name="prefix"/> (a clean relative path or "").</summary>
    public async Task ExtractIntoAsync(Stream tar, string prefix, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var dirModes = new List<(string Path, UnixFileMode Mode, DateTimeOffset Time)>();
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    await ExtractEntryAsync(entry, prefix, dirModes, cancellationToken).ConfigureAwait(false);
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

            // Directory modes and times last: writing their children changed both.
            foreach (var (path, mode, time) in Enumerable.Reverse(dirModes))
            {
                if (new FileInfo(path).LinkTarget is not null || !Directory.Exists(path))
                {
                    // A later entry of the same name replaced the directory.
                    continue;
                }

                File.SetUnixFileMode(path, mode);
                Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
            }
        }
    }

    private async Task ExtractEntryAsync(TarEntry entry, string prefix, List<(string, UnixFileMode, DateTimeOffset)> dirModes, CancellationToken cancellationToken)
    {
        var rel = CleanEntryName(entry.Name);
        if (rel is null)
        {
            // "." or "./": the root itself.
            return;
        }

        if (prefix.Length > 0)
        {
            rel = prefix + "/" + rel;
        }

        var path = Path.Combine(Root, rel);
        EnsureParents(rel);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!Directory.Exists(path))
                {
                    DeleteIfExists(path);
                    Directory.CreateDirectory(path);
                }

                dirModes.Add((path, entry.Mode, entry.ModificationTime));
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                DeleteIfExists(path);
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false);
                await using (file.ConfigureAwait(false))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                }

                File.SetUnixFileMode(path, entry.Mode);
                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                break;
            case TarEntryType.SymbolicLink:
                DeleteIfExists(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                var target = CleanEntryName(entry.LinkName) ?? throw WharfException.Invalid($"invalid build context: hard link {entry.Name} to the root");
                var from = Path.Combine(Root, prefix.Length > 0 ? prefix + "/" + target : target);
                if (!File.Exists(from) || new FileInfo(from).LinkTarget is not null)
                {
                    throw WharfException.Invalid($"invalid build context: hard link {entry.Name} to a missing file {entry.LinkName}");
                }

                DeleteIfExists(path);
                File.Copy(from, path);
                break;
            default:
                // Devices, fifos and global headers have no place in a context: skipped.
                break;
        }
    }

    /// <summary>The clean relative name, null for the root; fails for names that leave the root.</summary>
    internal static string? CleanEntryName(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw WharfException.Invalid($"invalid build context: the entry {name} escapes the context root");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        if (name.StartsWith('/') && parts.Count > 0)
        {
            // Absolute names are taken relative to the root, as Docker's unpacker does.
            return string.Join('/', parts);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>Parent directories of a new entry must be real directories inside the root (never symlinks).</summary>
    private void EnsureParents(string rel)
    {
        var parts = rel.Split('/');
        var current = Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                throw WharfException.Invalid($"invalid build context: the entry {rel} goes through the symlink {string.Join('/', parts[..(i + 1)])}");
            }

            if (!Directory.Exists(current))
            {
                DeleteIfExists(current);
                Directory.CreateDirectory(current);
            }
        }
    }

    private static void DeleteIfExists(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            info.Delete();
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// Resolves a context path as if the context root were "/": symlinks are followed, but
    /// absolute targets and ".." stop at the root. Returns the clean relative path ("" for the
    /// root). <paramref name="followFinal"/> false keeps a final symlink as it is.
    /// </summary>
    public string Resolve(string path, bool followFinal = true)
    {
        var pending = new Stack<string>(Split(path).Reverse());
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidateRel = string.Join('/', resolved.Append(part));
            _index?.Materialize(candidateRel, recursive: false);
            var candidate = Path.Combine(Root, candidateRel);
            var info = new FileInfo(candidate);
            if (info.LinkTarget is { } link && (followFinal || pending.Count > 0))
            {
                if (++hops > 255)
                {
                    throw WharfException.Invalid($"too many levels of symbolic links: {path}");
                }

                if (link.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var p in Split(link).Reverse())
                {
                    pending.Push(p);
                }

                continue;
            }

            resolved.Add(part);
        }

        return string.Join('/', resolved);
    }

    private static IEnumerable<string> Split(string path) => path.Split('/').Where(p => p.Length > 0 && p != ".");

    /// <summary>The host path of a context path; it and everything below it are on disk after this.</summary>
    public string FullPath(string rel)
    {
        _index?.Materialize(rel, recursive: true);
        return rel.Length == 0 ? Root : Path.Combine(Root, rel);
    }

    /// <summary>Every path in the context (none through a symlink), a directory before its entries, names in byte order.</summary>
    public IReadOnlyList<string> AllNames()
        => _index?.Names() ?? [.. CopyPlan.Walk(Root, "", null).Select(e => e.Rel)];

    /// <summary>Takes a file out of the context, as Docker drops a Dockerfile that .dockerignore names.</summary>
    public void Remove(string rel)
    {
        _index?.Remove(rel);
        var path = Path.Combine(Root, rel);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        _index?.Dispose();
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
