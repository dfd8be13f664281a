using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Wharf.Build.Parsing;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// What a COPY or ADD takes from a context: the resolved sources (globs expanded, symlinks
/// resolved inside the context), their content checksum (the cache key), and the layer tar
/// that puts them at the destination with Docker's rules (a directory source copies its
/// contents; several sources need a destination directory ending in '/').
/// </summary>
internal sealed class CopyPlan
{
    private readonly ContextDir _context;
    private readonly List<string> _sources;
    private readonly DockerIgnore? _exclude;
    private readonly List<string> _preserved;

    private CopyPlan(ContextDir context, List<string> sources, DockerIgnore? exclude, string checksum, string kind, List<string> preserved)
    {
        _preserved = preserved;
        _context = context;
        _sources = sources;
        _exclude = exclude;
        Checksum = checksum;
        Kind = kind;
    }

    /// <summary>sha256 hex over every copied entry's name, type, mode, size, link and content.</summary>
    public string Checksum { get; }

    /// <summary>Docker's history word: <c>file</c>, <c>dir</c> or <c>multi</c>.</summary>
    public string Kind { get; }

    public int Count => _sources.Count;

    public IReadOnlyList<string> Sources => _sources;

    /// <summary>
    /// Resolves the sources of a COPY/ADD. <paramref name="excludes"/> (<c>--exclude</c>) drop
    /// entries below copied directories and files a wildcard matched, by their path relative to
    /// the source. With <paramref name="parents"/> (<c>COPY --parents</c>) each source keeps its
    /// path below the context root, or below a <c>/./</c> pivot written in the pattern.
    /// </summary>
    public static CopyPlan Create(ContextDir context, IReadOnlyList<string> patterns, IReadOnlyList<string> excludes, string instruction, bool parents = false)
    {
        var exclude = excludes.Count > 0 ? new DockerIgnore(excludes) : null;
        var sources = new List<string>();
        var preserved = new List<string>();
        foreach (var pattern in patterns)
        {
            var trimmed = pattern.TrimStart('/');
            while (trimmed.StartsWith("./", StringComparison.Ordinal))
            {
                trimmed = trimmed[2..];
            }

            var pivotAt = trimmed.IndexOf("/./", StringComparison.Ordinal);
            var pivot = pivotAt < 0 ? "" : DockerIgnore.Clean(trimmed[..pivotAt]);
            pivot = pivot == "." ? "" : pivot;
            var before = sources.Count;
            AddPattern(context, trimmed, pattern, exclude, instruction, sources);
            foreach (var src in sources.Skip(before))
            {
                preserved.Add(pivot.Length > 0 && src.StartsWith(pivot + "/", StringComparison.Ordinal) ? src[(pivot.Length + 1)..] : src);
            }
        }

        if (!parents)
        {
            preserved.Clear();
        }

        return Finish(context, sources, exclude, preserved);
    }

    private static void AddPattern(ContextDir context, string trimmed, string pattern, DockerIgnore? exclude, string instruction, List<string> sources)
    {
        var clean = DockerIgnore.Clean(trimmed);
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"{instruction} failed: forbidden path outside the build context: {pattern} ()");
        }

        if (clean.IndexOfAny(['*', '?', '[']) >= 0)
        {
            var matches = Glob(context, clean);
            if (matches.Count == 0)
            {
                throw WharfException.Invalid($"{instruction} failed: no source files were specified");
            }

            // --exclude applies to what a wildcard matched, relative to the wildcard's directory.
            var dirLength = clean.LastIndexOf('/') + 1;
            sources.AddRange(matches.Where(m => exclude is null || !exclude.Excludes(m[dirLength..])));
            return;
        }

        var resolved = clean == "." ? "" : context.Resolve(clean);
        var full = context.FullPath(resolved);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw WharfException.Invalid($"{instruction} failed: file not found in build context or excluded by .dockerignore: stat {clean}: file does not exist");
        }

        sources.Add(resolved);
    }

    private static CopyPlan Finish(ContextDir context, List<string> sources, DockerIgnore? exclude, List<string> preserved)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var anyDir = false;
        foreach (var src in sources)
        {
            var full = context.FullPath(src);
            if (Directory.Exists(full))
            {
                anyDir = true;
                foreach (var (rel, path) in Walk(full, "", exclude))
                {
                    HashEntry(sha, rel, path);
                }
            }
            else
            {
                HashEntry(sha, Path.GetFileName(full), full);
            }
        }

        var checksum = Convert.ToHexStringLower(sha.GetHashAndReset());
        var kind = sources.Count > 1 ? "multi" : anyDir ? "dir" : "file";
        return new CopyPlan(context, sources, exclude, checksum, kind, preserved);
    }

    /// <summary>COPY --parents: whether sources keep their context paths below the destination.</summary>
    public bool Parents => _preserved.Count > 0;

    /// <summary>With --parents: the path a source keeps below the destination.</summary>
    public string Preserved(int index) => _preserved[index];

    /// <summary>
    /// With --parents: the directories between the destination and each source (a directory
    /// source included, its entries land below it), parents first, relative to "/".
    /// </summary>
    public IReadOnlyList<string> ParentDirs(string destPath)
    {
        var dirs = new List<string>();
        for (var i = 0; i < _preserved.Count; i++)
        {
            var parts = _preserved[i].Split('/', StringSplitOptions.RemoveEmptyEntries);
            var n = IsDirectory(i) ? parts.Length : parts.Length - 1;
            for (var k = 1; k <= n; k++)
            {
                var dir = (destPath.TrimEnd('/') + "/" + string.Join('/', parts.Take(k))).TrimStart('/');
                if (!dirs.Contains(dir, StringComparer.Ordinal))
                {
                    dirs.Add(dir);
                }
            }
        }

        return dirs;
    }

    /// <summary>Whether a source is a directory (its contents are copied, not itself).</summary>
    public bool IsDirectory(int index) => Directory.Exists(_context.FullPath(_sources[index]));

    public string FullPath(int index) => _context.FullPath(_sources[index]);

    /// <summary>
    /// Writes the sources as tar entries named relative to "/" (no leading slash):
    /// <paramref name="missingDirs"/> first (created 0755), then each source at its target.
    /// </summary>
    public async Task WriteTarAsync(Stream output, IReadOnlyList<string> missingDirs, IReadOnlyList<(int Source, string Target)> targets, UnixFileMode? chmod, DateTimeOffset dirTime, CancellationToken cancellationToken)
        => await WriteTarAsync(output, missingDirs, targets, chmod, dirTime, owner: null, cancellationToken).ConfigureAwait(false);

    /// <summary>As above, every entry owned by <paramref name="owner"/> when given (root otherwise).</summary>
    public async Task WriteTarAsync(Stream output, IReadOnlyList<string> missingDirs, IReadOnlyList<(int Source, string Target)> targets, UnixFileMode? chmod, DateTimeOffset dirTime, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await WriteEntriesAsync(writer, missingDirs, targets, chmod, dirTime, owner, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entries WriteTarAsync writes, into a writer the caller ends.</summary>
    public async Task WriteEntriesAsync(TarWriter writer, IReadOnlyList<string> missingDirs, IReadOnlyList<(int Source, string Target)> targets, UnixFileMode? chmod, DateTimeOffset dirTime, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        foreach (var dir in missingDirs)
        {
            await writer.WriteEntryAsync(Own(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = chmod ?? Dir0755, ModificationTime = dirTime }, owner), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (source, target) in targets)
        {
            var full = FullPath(source);
            if (Directory.Exists(full))
            {
                foreach (var (rel, path) in Walk(full, "", _exclude))
                {
                    await WriteEntryAsync(writer, target.Length == 0 ? rel : target + "/" + rel, path, chmod, owner, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await WriteEntryAsync(writer, target, full, chmod, owner, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A tar of just the given directories (mode 0755), for WORKDIR.</summary>
    public static async Task WriteDirsAsync(Stream output, IReadOnlyList<string> dirs, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var dir in dirs)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = Dir0755, ModificationTime = time }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private const UnixFileMode Dir0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    internal static PaxTarEntry Own(PaxTarEntry entry, (int Uid, int Gid)? owner)
    {
        if (owner is { } o)
        {
            entry.Uid = o.Uid;
            entry.Gid = o.Gid;
        }

        return entry;
    }

    private static async Task WriteEntryAsync(TarWriter writer, string name, string path, UnixFileMode? chmod, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } link)
        {
            await writer.WriteEntryAsync(Own(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link, Mode = info.UnixFileMode, ModificationTime = info.LastWriteTimeUtc }, owner), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Directory.Exists(path))
        {
            var dir = new DirectoryInfo(path);
            await writer.WriteEntryAsync(Own(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = chmod ?? dir.UnixFileMode, ModificationTime = dir.LastWriteTimeUtc }, owner), cancellationToken).ConfigureAwait(false);
            return;
        }

        var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        await using (data.ConfigureAwait(false))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = chmod ?? info.UnixFileMode, ModificationTime = info.LastWriteTimeUtc, DataStream = data };
            await writer.WriteEntryAsync(Own(entry, owner), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A directory's entries depth-first with names sorted byte-wise (a fixed order for reproducible layers).</summary>
    internal static IEnumerable<(string Rel, string Path)> Walk(string root, string prefix, DockerIgnore? exclude)
    {
        var names = Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var rel = prefix.Length == 0 ? name! : prefix + "/" + name;
            if (exclude is not null && exclude.Excludes(rel))
            {
                continue;
            }

            var path = Path.Combine(root, name!);
            yield return (rel, path);
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
            {
                foreach (var child in Walk(path, rel, exclude))
                {
                    yield return child;
                }
            }
        }
    }

    private static void HashEntry(IncrementalHash sha, string rel, string path)
    {
        var info = new FileInfo(path);
        var sb = new StringBuilder();
        sb.Append(rel).Append('\0');
        if (info.LinkTarget is { } link)
        {
            sb.Append("l\0").Append(link).Append('\n');
            sha.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
            return;
        }

        if (Directory.Exists(path))
        {
            sb.Append("d\0").Append(((int)new DirectoryInfo(path).UnixFileMode).ToString(CultureInfo.InvariantCulture)).Append('\n');
            sha.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
            return;
        }

        sb.Append("f\0").Append(((int)info.UnixFileMode).ToString(CultureInfo.InvariantCulture)).Append('\0').Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('\0');
        sha.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
        using var file = File.OpenRead(path);
        sha.AppendData(SHA256.HashData(file));
        sha.AppendData("\n"u8);
    }

    /// <summary>Context paths matching a glob (Go's filepath.Match per element), sorted.</summary>
    private static List<string> Glob(ContextDir context, string pattern)
    {
        var regex = new Regex("^" + string.Concat(pattern.Select(c => c switch
        {
            '*' => "[^/]*",
            '?' => "[^/]",
            '[' => "[",
            ']' => "]",
            _ => Regex.Escape(c.ToString()),
        })) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var depth = pattern.Count(c => c == '/');
        return [.. context.AllNames().Where(rel => rel.Count(c => c == '/') == depth && regex.IsMatch(rel))];
    }
}
