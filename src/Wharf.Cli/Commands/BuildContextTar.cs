using System.Formats.Tar;
using Wharf.Build.Parsing;

namespace Wharf.Cli.Commands;

/// <summary>
/// Sends a folder as a build context the way the docker CLI does: a tar of the folder without
/// what <c>.dockerignore</c> excludes, except that the Dockerfile and <c>.dockerignore</c>
/// always go along (the daemon needs them and drops them itself when they are ignored).
/// Entries are written in a fixed order (sorted names), so the same folder gives the same tar.
/// </summary>
internal static class BuildContextTar
{
    public static async Task WriteAsync(string root, string dockerfile, Stream output, CancellationToken cancellationToken)
    {
        var ignorePath = Path.Combine(root, ".dockerignore");
        var ignore = File.Exists(ignorePath) ? DockerIgnore.Parse(await File.ReadAllTextAsync(ignorePath, cancellationToken).ConfigureAwait(false)) : new DockerIgnore([]);
        var keep = new HashSet<string>(StringComparer.Ordinal) { ".dockerignore", DockerIgnore.Clean(dockerfile) };
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await WriteDirAsync(writer, root, "", ignore, keep, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteDirAsync(TarWriter writer, string dir, string prefix, DockerIgnore ignore, HashSet<string> keep, CancellationToken cancellationToken)
    {
        foreach (var name in Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var rel = prefix.Length == 0 ? name! : prefix + "/" + name;
            var path = Path.Combine(dir, name!);
            var info = new FileInfo(path);
            var isDir = info.LinkTarget is null && Directory.Exists(path);
            if (ignore.Excludes(rel) && !keep.Contains(rel))
            {
                // An excluded directory may still hold an exception ("!dir/keep"): look inside.
                if (isDir)
                {
                    await WriteDirAsync(writer, path, rel, ignore, keep, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (info.LinkTarget is { } link)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, rel) { LinkName = link, Mode = info.UnixFileMode, ModificationTime = info.LastWriteTimeUtc }, cancellationToken).ConfigureAwait(false);
            }
            else if (isDir)
            {
                var d = new DirectoryInfo(path);
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, rel + "/") { Mode = d.UnixFileMode, ModificationTime = d.LastWriteTimeUtc }, cancellationToken).ConfigureAwait(false);
                await WriteDirAsync(writer, path, rel, ignore, keep, cancellationToken).ConfigureAwait(false);
            }
            else if (info.Exists)
            {
                var data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await using (data.ConfigureAwait(false))
                {
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, rel) { Mode = info.UnixFileMode, ModificationTime = info.LastWriteTimeUtc, DataStream = data }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
