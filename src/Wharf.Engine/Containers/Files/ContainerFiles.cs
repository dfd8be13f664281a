using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Oci;
using Wharf.Oci.References;

namespace Wharf.Engine.Containers.Files;

/// <summary>
/// <c>docker cp</c>, <c>diff</c>, <c>export</c> and <c>commit</c> over the container service
/// (resolution, locking, pause), the root file system access (scoped lookups) and the
/// snapshotter and image store (changes and commits). Emits Docker's container events
/// (archive-path, extract-to-dir, export, commit).
/// </summary>
public sealed class ContainerFiles : IContainerFiles
{
    private readonly ContainerService _containers;
    private readonly IRootfsAccess _rootfs;
    private readonly ISnapshotChanges _changes;
    private readonly IImageCommitter _committer;

    public ContainerFiles(ContainerService containers, IRootfsAccess rootfs, ISnapshotChanges changes, IImageCommitter committer)
    {
        _containers = containers;
        _rootfs = rootfs;
        _changes = changes;
        _committer = committer;
    }

    public async Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken)
    {
        var lease = await _containers.OpenRootfsAsync(name, withMounts: true, _rootfs, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            return lease.Root.Stat(path);
        }
    }

    public async Task<IArchiveSource> OpenArchiveAsync(string name, string path, CancellationToken cancellationToken)
    {
        var lease = await _containers.OpenRootfsAsync(name, withMounts: true, _rootfs, cancellationToken).ConfigureAwait(false);
        try
        {
            var stat = lease.Root.Stat(path);
            _containers.PublishEvent(lease.Record, "archive-path");
            return new ArchiveSource(lease, stat, (root, output, ct) => root.WriteArchiveAsync(path, output, ct));
        }
        catch
        {
            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task ExtractArchiveAsync(string name, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken)
    {
        var lease = await _containers.OpenRootfsAsync(name, withMounts: true, _rootfs, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            var rec = lease.Record;

            // A running container's read-only root shows as EROFS from the kernel (while its
            // writable mounts stay writable); a stopped one is mounted read-write here.
            if (!lease.Running && rec.Host.ReadonlyRootfs && !InWritableBind(rec, path))
            {
                throw new WharfException(ErrorKind.Forbidden, "container rootfs is marked read-only");
            }

            var options = new ArchiveExtractOptions
            {
                NoOverwriteDirNonDir = noOverwriteDirNonDir,
                Owner = copyUidGid && rec.Config.User.Length > 0 ? lease.Root.LookupUser(rec.Config.User) : null,
            };
            var plain = await TarDecompression.OpenAsync(tar, cancellationToken).ConfigureAwait(false);
            if (plain is null)
            {
                _containers.PublishEvent(rec, "extract-to-dir");
                return;
            }

            await using (plain.ConfigureAwait(false))
            {
                try
                {
                    await lease.Root.ExtractAsync(path, plain, options, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    throw WharfException.Invalid("Error processing tar file: " + e.Message, e);
                }
            }

            _containers.PublishEvent(rec, "extract-to-dir");
        }
    }

    /// <summary>Whether a destination lies in a writable bind (Docker lets those through a read-only root).</summary>
    private static bool InWritableBind(ContainerRecord rec, string path)
    {
        var clean = "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
        return ContainerService.BindsOf(rec).Any(b => b.Writable
            && (clean == b.Destination.TrimEnd('/') || clean.StartsWith(b.Destination.TrimEnd('/') + "/", StringComparison.Ordinal)));
    }

    public async Task<IReadOnlyList<FileChange>> ChangesAsync(string name, CancellationToken cancellationToken)
    {
        var rec = _containers.Inspect(name);
        return await _changes.GetChangesAsync(rec.Id, RuntimeMountpoints.InitLayer, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IArchiveSource> OpenExportAsync(string name, CancellationToken cancellationToken)
    {
        var lease = await _containers.OpenRootfsAsync(name, withMounts: false, _rootfs, cancellationToken).ConfigureAwait(false);
        _containers.PublishEvent(lease.Record, "export");
        return new ArchiveSource(lease, null, (root, output, ct) => root.ExportAsync(output, ct));
    }

    public async Task<Digest> CommitAsync(ContainerCommitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rec = _containers.Inspect(request.Container);
        if (rec.State.Status is "removing" or "dead")
        {
            throw WharfException.Conflict($"You cannot commit container {rec.Id} which is being removed");
        }

        if (request.MountStubs.Count > 0)
        {
            await RemoveMountStubsAsync(rec.Id, request.MountStubs, cancellationToken).ConfigureAwait(false);
        }

        var image = new ImageCommitRequest
        {
            ParentImageId = rec.ImageId,
            ContainerId = request.RecordContainer ? rec.Id : "",
            ContainerConfig = rec.Config,
            UserConfig = request.Config,
            Changes = request.Changes,
            Author = request.Author,
            Comment = request.Comment,
            Repository = request.Repository,
            Tag = request.Tag,
            FinalConfig = request.FinalConfig,
            CreatedBy = request.CreatedBy,
            Created = request.Created,
            LayerTimesLimit = request.LayerTimesLimit,
        };
        var id = await _committer.CommitAsync(image, (output, ct) => WriteLayerAsync(rec, request.Pause, output, ct), cancellationToken).ConfigureAwait(false);
        var reference = string.IsNullOrEmpty(request.Repository) ? "" : Familiar(string.IsNullOrEmpty(request.Tag) ? request.Repository : request.Repository + ":" + request.Tag);
        _containers.PublishEvent(rec, "commit", ("comment", request.Comment ?? ""), ("imageID", id.Value), ("imageRef", reference));
        return id;
    }

    /// <summary>Removes a build step's mount points that are still empty, through the root without the container's mounts.</summary>
    private async Task RemoveMountStubsAsync(string id, IReadOnlyList<string> stubs, CancellationToken cancellationToken)
    {
        var lease = await _containers.OpenRootfsAsync(id, withMounts: false, _rootfs, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            foreach (var stub in stubs)
            {
                lease.Root.RemoveMountStub(stub);
            }
        }
    }

    /// <summary>How Docker names the reference in the commit event ("snap:v1", not "docker.io/library/snap:v1").</summary>
    private static string Familiar(string reference)
    {
        try
        {
            return ImageReference.ParseNormalizedNamed(reference).FamiliarString;
        }
        catch (FormatException)
        {
            return reference;
        }
    }

    /// <summary>Writes the container's changes; a running container is paused meanwhile when asked (Docker's default).</summary>
    private async Task WriteLayerAsync(ContainerRecord rec, bool pause, Stream output, CancellationToken cancellationToken)
    {
        var current = _containers.Inspect(rec.Id);
        var paused = false;
        if (pause && current.State.Status == "running")
        {
            await _containers.PauseAsync(rec.Id, cancellationToken).ConfigureAwait(false);
            paused = true;
        }

        try
        {
            await _changes.WriteDiffAsync(rec.Id, RuntimeMountpoints.InitLayer, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (paused)
            {
                try
                {
                    await _containers.UnpauseAsync(rec.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (WharfException)
                {
                    // It exited or was unpaused meanwhile: nothing is left to undo.
                }
            }
        }
    }
}
