using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Oci;

namespace Wharf.Images;

/// <summary>
/// Reads an image archive (tar) into a private directory so its parts can be read in any order.
/// Only regular files, directories and links between archive members are accepted; every
/// member name is validated, and nothing is written outside the spool directory, whose name
/// is never derived from the archive.
/// </summary>
internal sealed class ArchiveSpool : IAsyncDisposable
{
    private const int MaxEntries = 100_000;
    private const int MaxNameLength = 1024;
    private readonly string _dir;
    private readonly Dictionary<string, SpooledFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    private ArchiveSpool(string dir) => _dir = dir;

    internal sealed record SpooledFile(string Path, Digest Digest, long Size);

    public static async Task<ArchiveSpool> ReadAsync(Stream archive, string tempRoot, CancellationToken cancellationToken)
    {
        var spool = new ArchiveSpool(Path.Combine(tempRoot, "load-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(spool._dir);
        try
        {
            await spool.FillAsync(archive, cancellationToken).ConfigureAwait(false);
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task FillAsync(Stream archive, CancellationToken cancellationToken)
    {
        var reader = new TarReader(archive, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var count = 0;
            while (true)
            {
                TarEntry? entry;
                try
                {
                    entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException or InvalidOperationException)
                {
                    throw WharfException.Invalid("invalid tar archive: " + e.Message, e);
                }

                if (entry is null)
                {
                    break;
                }

                if (++count > MaxEntries)
                {
                    throw WharfException.Invalid($"invalid tar archive: more than {MaxEntries} entries");
                }

                var name = Clean(entry.Name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        _files[name] = await SaveAsync(entry, count, cancellationToken).ConfigureAwait(false);
                        _links.Remove(name);
                        break;
                    case TarEntryType.SymbolicLink:
                        var parent = name.Contains('/', StringComparison.Ordinal) ? name[..name.LastIndexOf('/')] : "";
                        var target = entry.LinkName.StartsWith('/') ? entry.LinkName : (parent.Length == 0 ? entry.LinkName : parent + "/" + entry.LinkName);
                        _links[name] = Clean(target.TrimStart('/'), entry.LinkName);
                        break;
                    case TarEntryType.HardLink:
                        _links[name] = Clean(entry.LinkName, entry.LinkName);
                        break;
                    default:
                        throw WharfException.Invalid($"invalid tar archive: entry \"{entry.Name}\" has type {entry.EntryType}, which an image archive may not contain");
                }
            }
        }

        // Read to the end so trailing padding does not break a chunked upload.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await archive.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<SpooledFile> SaveAsync(TarEntry entry, int index, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dir, "f" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous))
        {
            if (entry.DataStream is { } data)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
                try
                {
                    int n;
                    while (true)
                    {
                        try
                        {
                            n = await data.ReadAsync(buffer.AsMemory(0, 128 * 1024), cancellationToken).ConfigureAwait(false);
                        }
                        catch (EndOfStreamException e)
                        {
                            throw WharfException.Invalid("invalid tar archive: unexpected EOF", e);
                        }

                        if (n == 0)
                        {
                            break;
                        }

                        hash.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        size += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (size != entry.Length)
            {
                throw WharfException.Invalid($"invalid tar archive: unexpected EOF in \"{entry.Name}\"");
            }

            file.Flush(flushToDisk: false);
        }

        return new SpooledFile(path, Digest.FromSha256Hash(hash.GetHashAndReset()), size);
    }

    /// <summary>Normalises a member name; absolute names and names escaping the archive root are refused.</summary>
    private static string Clean(string name, string? shown = null)
    {
        shown ??= name;
        if (name.Length == 0 || name.Length > MaxNameLength || name.Contains('\0', StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"invalid tar archive: bad member name \"{Truncate(shown)}\"");
        }

        if (name.StartsWith('/'))
        {
            throw WharfException.Invalid($"invalid tar archive: absolute path \"{Truncate(shown)}\" is not allowed");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw WharfException.Invalid($"invalid tar archive: path \"{Truncate(shown)}\" escapes the archive");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static string Truncate(string s) => s.Length > 200 ? s[..200] + "..." : s;

    public bool Contains(string name) => Find(name) is not null;

    /// <summary>Finds a member by name, following links between members (bounded, so link loops fail).</summary>
    public SpooledFile? Find(string name)
    {
        string clean;
        try
        {
            clean = Clean(name);
        }
        catch (WharfException)
        {
            return null;
        }

        for (var hops = 0; hops < 16; hops++)
        {
            if (_files.TryGetValue(clean, out var f))
            {
                return f;
            }

            if (!_links.TryGetValue(clean, out var next))
            {
                return null;
            }

            clean = next;
        }

        return null;
    }

    public SpooledFile Get(string name)
        => Find(name) ?? throw WharfException.Invalid($"invalid image archive: \"{name}\" is missing from the archive");

    public async Task<byte[]> ReadSmallAsync(string name, int maxBytes, CancellationToken cancellationToken)
    {
        var f = Get(name);
        if (f.Size > maxBytes)
        {
            throw WharfException.Invalid($"invalid image archive: \"{name}\" is larger than {maxBytes} bytes");
        }

        return await File.ReadAllBytesAsync(f.Path, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
