using System.Formats.Tar;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>
/// Unpacks a container's tar on the local machine as docker's client does (files belong to
/// whoever runs the command; an existing directory is never replaced by a file or the other
/// way round), and never outside the destination: names that climb out are refused, and so
/// is writing through a symlink, even one the same archive just created.
/// </summary>
internal sealed class LocalExtractor(string destination, Func<string, string> rename)
{
    private readonly string _root = Path.GetFullPath(destination);
    private readonly List<(string Path, DateTimeOffset Time)> _directoryTimes = [];

    public async Task ExtractAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var (path, time) in _directoryTimes)
        {
            Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
        }
    }

    private async Task ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
        {
            return;
        }

        var relative = Relative(rename(entry.Name)) ?? throw new CliErrorException($"Error processing tar file: \"{entry.Name}\" is outside of \"{_root}\"");
        var full = relative.Length == 0 ? _root : Path.Join(_root, relative);
        EnsureParents(relative);
        var existing = new FileInfo(full);
        var existingIsLink = existing.LinkTarget is not null;
        var existingIsDir = !existingIsLink && Directory.Exists(full);
        var exists = existingIsLink || existingIsDir || existing.Exists;
        var isDir = entry.EntryType == TarEntryType.Directory;
        if (exists && existingIsDir && !isDir)
        {
            throw new CliErrorException($"cannot overwrite directory \"{full}\" with non-directory \"{_root}\"");
        }

        if (exists && !existingIsDir && isDir)
        {
            throw new CliErrorException($"cannot overwrite non-directory \"{full}\" with directory \"{_root}\"");
        }

        if (exists && !isDir)
        {
            File.Delete(full);
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(full);
                if (relative.Length > 0)
                {
                    File.SetUnixFileMode(full, entry.Mode);
                    _directoryTimes.Add((full, entry.ModificationTime));
                }

                break;

            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var file = new FileStream(full, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                await using (file.ConfigureAwait(false))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    }
                }

                File.SetUnixFileMode(full, entry.Mode);
                File.SetLastWriteTimeUtc(full, entry.ModificationTime.UtcDateTime);
                break;

            case TarEntryType.SymbolicLink:
                if (!entry.LinkName.StartsWith('/') && Relative(CopyPaths.Dir("/" + relative)[1..] + "/" + entry.LinkName) is null)
                {
                    throw new CliErrorException($"Error processing tar file: invalid symlink \"{full}\" -> \"{entry.LinkName}\"");
                }

                File.CreateSymbolicLink(full, entry.LinkName);
                break;

            case TarEntryType.HardLink:
                // .NET has no link(2); a copy keeps the content, which is what the user asked for.
                var target = Relative(rename(entry.LinkName)) ?? throw new CliErrorException($"Error processing tar file: invalid hardlink \"{full}\" -> \"{entry.LinkName}\"");
                EnsureParents(target);
                File.Copy(Path.Join(_root, target), full);
                File.SetUnixFileMode(full, File.GetUnixFileMode(Path.Join(_root, target)));
                break;

            case TarEntryType.Fifo or TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                entry.ExtractToFile(full, overwrite: true);
                break;

            default:
                break;
        }
    }

    /// <summary>The cleaned relative name, or null when it climbs above the destination.</summary>
    private static string? Relative(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    break;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    break;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>Creates missing parent directories; an existing parent must be a real directory, not a symlink.</summary>
    private void EnsureParents(string relative)
    {
        var slash = relative.LastIndexOf('/');
        if (slash < 0)
        {
            return;
        }

        var current = _root;
        foreach (var part in relative[..slash].Split('/'))
        {
            current = Path.Join(current, part);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null)
            {
                throw new CliErrorException($"Error processing tar file: refusing to write through the symlink \"{current}\"");
            }

            if (!info.Exists)
            {
                if (File.Exists(current))
                {
                    throw new CliErrorException($"Error processing tar file: \"{current}\" is not a directory");
                }

                Directory.CreateDirectory(current);
            }
        }
    }
}
