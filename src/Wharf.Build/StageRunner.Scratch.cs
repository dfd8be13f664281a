using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;

namespace Wharf.Build;

/// <summary>
/// Steps on an image without a root file system (<c>FROM scratch</c>, or metadata only on it):
/// there is nothing to make a container of, so COPY, ADD and WORKDIR write their layer tar
/// straight into the committer, which records it as the image's first layer.
/// </summary>
internal sealed partial class StageRunner
{
    /// <summary>Commits a layer written without a container on the current (layerless) image and moves to it.</summary>
    private async Task CommitLayerAsync(string key, string createdBy, Func<Stream, CancellationToken, Task> writeLayer, CancellationToken cancellationToken)
    {
        var id = await CommitLayerImageAsync(createdBy, writeLayer, clampTimes: true, cancellationToken).ConfigureAwait(false);
        _job.Cache.Store(key, id.Value, createdBy, 0, _job.Time.GetUtcNow());
        await MoveToAsync(id, cached: false).ConfigureAwait(false);
    }

    /// <summary>Commits a layer on an empty root; a restored layer is taken as it is (its times were clamped when it was made).</summary>
    private async Task<Digest> CommitLayerImageAsync(string createdBy, Func<Stream, CancellationToken, Task> writeLayer, bool clampTimes, CancellationToken cancellationToken)
    {
        var final = Config with { Image = ImageRef };
        var request = new ImageCommitRequest
        {
            ParentImageId = ImageId,
            ContainerId = "",
            ContainerConfig = final with { Cmd = [.. _shell, createdBy] },
            FinalConfig = final,
            CreatedBy = createdBy,
            Created = Created,
            LayerTimesLimit = clampTimes ? Created : null,
            Author = _author,
        };
        return await _job.Committer.CommitAsync(request, writeLayer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The layer of a COPY/ADD on an empty root: the missing directories, the sources, then the
    /// entries of ADD's local archives (plain or gzip tar) below the destination. Archive paths
    /// are cleaned against the destination, so none lands outside it. Each entry's data is read
    /// into memory (the layer pipe cannot seek), one entry at a time.
    /// </summary>
    private async Task WriteScratchLayerAsync(Stream output, CopyPlan plan, List<string> dirs, List<(int, string)> targets, HashSet<int> archives, string destPath, UnixFileMode? chmod, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await plan.WriteEntriesAsync(writer, dirs, targets, chmod, Created, owner, cancellationToken).ConfigureAwait(false);
            foreach (var i in archives.Order())
            {
                await CopyArchiveAsync(writer, plan.FullPath(i), destPath, owner, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static async Task CopyArchiveAsync(TarWriter writer, string path, string destPath, (int Uid, int Gid)? owner, CancellationToken cancellationToken)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            var head = new byte[2];
            var n = await file.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            Stream plain = file;
            if (n == 2 && head[0] == 0x1f && head[1] == 0x8b)
            {
                plain = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            }
            else if (n == 2 && (head[0] == 'B' || head[0] == 0xfd))
            {
                throw WharfException.NotImplemented("ADD of a bzip2 or xz archive into an image without layers (FROM scratch) is not supported by Wharf builds yet");
            }

            await using (plain.ConfigureAwait(false))
            {
                var reader = new TarReader(plain, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: true, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                        {
                            continue;
                        }

                        // Cleaned against the root first, so ".." stops at the destination.
                        var name = JoinWorkdir(destPath, JoinWorkdir("/", entry.Name).TrimStart('/')).TrimStart('/');
                        if (name.Length == 0)
                        {
                            continue;
                        }

                        var copy = new PaxTarEntry(entry);
                        if (entry.DataStream is { } data && copy.DataStream is null)
                        {
                            copy.DataStream = data;
                        }

                        copy.Name = entry.EntryType == TarEntryType.Directory ? name + "/" : name;
                        if (entry.EntryType == TarEntryType.HardLink)
                        {
                            copy.LinkName = JoinWorkdir(destPath, JoinWorkdir("/", entry.LinkName).TrimStart('/')).TrimStart('/');
                        }

                        await writer.WriteEntryAsync(CopyPlan.Own(copy, owner), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>Every directory from the root down to <paramref name="dir"/> (relative names): all are missing in an empty root.</summary>
    internal static List<string> AllDirs(string dir)
    {
        var parts = dir.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return [.. Enumerable.Range(1, parts.Length).Select(n => string.Join('/', parts.Take(n)))];
    }

    /// <summary>
    /// The owner <c>--chown</c> names where there is no /etc/passwd or /etc/group: only numeric
    /// IDs resolve (a lone user is also the group, as Docker does); names fail as Docker's do.
    /// </summary>
    internal static (int Uid, int Gid)? ScratchOwner(string? chown)
    {
        if (string.IsNullOrEmpty(chown))
        {
            return null;
        }

        var colon = chown.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? chown : chown[..colon];
        var group = colon < 0 ? user : chown[(colon + 1)..];
        if (!int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            throw WharfException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}");
        }

        if (!int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            throw WharfException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}");
        }

        return (uid, gid);
    }

    /// <summary>Where each source (archives aside) lands, relative to the root.</summary>
    private static List<(int, string)> Targets(CopyPlan plan, HashSet<int> archives, string destPath, bool destIsDir)
    {
        var targets = new List<(int, string)>();
        for (var i = 0; i < plan.Count; i++)
        {
            if (archives.Contains(i))
            {
                continue;
            }

            var name = Path.GetFileName(plan.FullPath(i));
            var target = plan.Parents ? JoinWorkdir(destPath, plan.Preserved(i)) : plan.IsDirectory(i) ? destPath : destIsDir ? JoinWorkdir(destPath, name) : destPath;
            targets.Add((i, target.TrimStart('/')));
        }

        return targets;
    }
}
