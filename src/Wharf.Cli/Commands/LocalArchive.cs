using System.Formats.Tar;
using System.IO.Pipelines;

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
    /// given. Entries and link targets that would land outside the directory are refused (by
    /// .NET's extractor); owners are not changed, so files belong to whoever runs the command.
    /// </summary>
    public static async Task ExtractAsync(Stream tar, string destinationDir, string? oldBase, string? newBase, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        var rebase = RebaseAsync(tar, pipe.Writer, oldBase, newBase, cancellationToken);
        try
        {
            var reading = pipe.Reader.AsStream();
            await using (reading.ConfigureAwait(false))
            {
                await TarFile.ExtractToDirectoryAsync(reading, destinationDir, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await rebase.ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
            {
            }

            throw;
        }

        await rebase.ConfigureAwait(false);
    }

    private static async Task RebaseAsync(Stream tar, PipeWriter output, string? oldBase, string? newBase, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var stream = output.AsStream(leaveOpen: true);
        try
        {
            var reader = new TarReader(tar, leaveOpen: true);
            var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            await using (writer.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                    {
                        continue;
                    }

                    entry.Name = Normalize(Rename(entry.Name, oldBase, newBase), entry.EntryType == TarEntryType.Directory);
                    if (entry.EntryType == TarEntryType.HardLink)
                    {
                        entry.LinkName = Normalize(Rename(entry.LinkName, oldBase, newBase), isDirectory: false);
                    }

                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private static string Rename(string name, string? oldBase, string? newBase)
        => string.IsNullOrEmpty(newBase) || oldBase is null ? name : CopyPaths.Rebase(name, oldBase, newBase);

    /// <summary>Relative names for .NET's extractor: no leading "/", the top directory as "./".</summary>
    private static string Normalize(string name, bool isDirectory)
    {
        var relative = name.TrimStart('/');
        if (relative.Length == 0 || relative == ".")
        {
            return "./";
        }

        return isDirectory && !relative.EndsWith('/') ? relative + "/" : relative;
    }
}
