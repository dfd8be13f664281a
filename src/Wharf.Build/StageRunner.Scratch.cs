using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Core.Images;

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
        var final = Config with { Image = ImageRef };
        var request = new ImageCommitRequest
        {
            ParentImageId = ImageId,
            ContainerId = "",
            ContainerConfig = final with { Cmd = [.. _shell, createdBy] },
            FinalConfig = final,
            CreatedBy = createdBy,
            Created = Created,
            LayerTimesLimit = Created,
            Author = _author,
        };
        var id = await _job.Committer.CommitAsync(request, writeLayer, cancellationToken).ConfigureAwait(false);
        _job.Cache.Store(key, id.Value, createdBy, 0, _job.Time.GetUtcNow());
        await MoveToAsync(id, cached: false).ConfigureAwait(false);
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
            var target = plan.IsDirectory(i) ? destPath : destIsDir ? JoinWorkdir(destPath, name) : destPath;
            targets.Add((i, target.TrimStart('/')));
        }

        return targets;
    }
}
