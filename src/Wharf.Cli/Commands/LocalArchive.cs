using System.Formats.Tar;

namespace Wharf.Cli.Commands;

/// <summary>The local side of <c>cp</c>: tars a local path, and extracts a container's tar locally.</summary>
internal static class LocalArchive
{
    /// <summary>
    /// Tars <paramref name="sourceBase"/> in <paramref name="sourceDir"/> (a trailing "." means
    /// the directory itself, whose entries are then named "./..."), naming the top entry
    /// <paramref name="rebaseName"/> when given. Symlinks are archived as links, never followed.
    /// </summary>
    public static async Task WriteAsync(string sourceDir, string sourceBase, string? rebaseName, Stream output, CancellationToken cancellationToken)
    {
        var top = sourceBase == "." ? sourceDir : Path.Join(sourceDir, sourceBase);
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await AddAsync(writer, top, string.IsNullOrEmpty(rebaseName) ? sourceBase : rebaseName, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AddAsync(TarWriter writer, string path, string name, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var isLink = info.LinkTarget is not null;
        var isDir = !isLink && Directory.Exists(path);
        await writer.WriteEntryAsync(path, isDir && !name.EndsWith('/') ? name + "/" : name, cancellationToken).ConfigureAwait(false);
        if (!isDir)
        {
            return;
        }

        var children = Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false })
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var child in children)
        {
            await AddAsync(writer, Path.Join(path, child), name.TrimEnd('/') + "/" + child, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Extracts <paramref name="tar"/> into <paramref name="destinationDir"/>, renaming the
    /// top entry from <paramref name="oldBase"/> to <paramref name="newBase"/> when both are
    /// given (see <see cref="LocalExtractor"/>).
    /// </summary>
    public static Task ExtractAsync(Stream tar, string destinationDir, string? oldBase, string? newBase, CancellationToken cancellationToken)
        => new LocalExtractor(destinationDir, name => Rename(name, oldBase, newBase)).ExtractAsync(tar, cancellationToken);

    private static string Rename(string name, string? oldBase, string? newBase)
        => string.IsNullOrEmpty(newBase) || oldBase is null ? name : CopyPaths.Rebase(name, oldBase, newBase);
}
