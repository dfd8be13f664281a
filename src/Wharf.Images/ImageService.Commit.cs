using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Content;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

public sealed partial class ImageService : IImageCommitter
{
    /// <summary>The digest of a tar with no entries (two zero blocks): Docker's empty layer.</summary>
    internal static readonly Digest EmptyLayer = Digest.Parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

    public async Task<Digest> CommitAsync(ImageCommitRequest request, Func<Stream, CancellationToken, Task> writeLayer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writeLayer);

        // Everything the request names is checked before the container is paused and read.
        var full = string.IsNullOrEmpty(request.Repository) ? null : ImageNames.ForTag(request.Repository, request.Tag);
        // No parent (a default ID) is a build's FROM scratch: no layers, the host platform.
        var parent = request.ParentImageId == default ? null : _store.Get(request.ParentImageId) ?? throw NoSuchImage(request.ParentImageId.Value, null);
        var config = request.FinalConfig ?? CommitConfig.Build(request, parent?.Config.Config);
        var containerConfig = CommitConfig.Effective(request.ContainerConfig, parent?.Config.Config);

        var pinnedSnapshots = new List<string>();
        var pinnedBlobs = new List<Digest>();
        var failed = true;
        try
        {
            var write = request.LayerTimesLimit is { } limit ? (s, ct) => LayerTimes.ClampAsync(writeLayer, limit, s, ct) : writeLayer;
            var blob = await WriteLayerBlobAsync(write, cancellationToken).ConfigureAwait(false);
            var empty = blob.Digest == EmptyLayer;
            IReadOnlyList<string> diffIds = [.. (parent?.DiffIds ?? []).Select(d => d.Value)];
            if (empty)
            {
                Pin([], [blob.Digest], +1);
                pinnedBlobs.Add(blob.Digest);
            }
            else
            {
                var parentChain = parent is { ChainIds.Count: > 0 } ? parent.ChainIds[^1].Value : null;
                await UnpackBlobAsync(blob.Digest, blob.Size, parentChain, pinnedSnapshots, pinnedBlobs, cancellationToken).ConfigureAwait(false);
                diffIds = [.. diffIds, blob.Digest.Value];
            }

            var created = request.Created ?? _time.GetUtcNow();
            var author = string.IsNullOrEmpty(request.Author) ? null : request.Author;
            var comment = string.IsNullOrEmpty(request.Comment) ? null : request.Comment;
            var image = new ImageConfig
            {
                Architecture = parent?.Config.Architecture ?? Platforms.HostArchitecture,
                Variant = parent?.Config.Variant,
                Os = parent?.Config.Os ?? "linux",
                Author = author,
                Created = created,
                DockerVersion = EngineVersion.Version,
                Container = string.IsNullOrEmpty(request.ContainerId) ? null : request.ContainerId,
                Config = config,
                ContainerConfig = containerConfig,
                RootFs = new RootFs { DiffIds = diffIds },
                History =
                [
                    .. parent?.Config.History ?? [],
                    new HistoryEntry { Created = created, Author = author, CreatedBy = request.CreatedBy ?? string.Join(' ', containerConfig.Cmd ?? []), Comment = comment, EmptyLayer = empty },
                ],
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(image, OciJsonContext.Default.ImageConfig);

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Blobs and snapshots are in place; the record and then the reference make the
                // image visible, so a crash before them leaves only content that load collects.
                var configBlob = await _content.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                var rec = _store.BuildRecord(configBlob.Digest, bytes, new ImageMeta { Parent = parent?.Id.Value, Added = created });
                _store.Put(rec);
                if (full is not null)
                {
                    TagLocked(rec, full);
                }

                failed = false;
                return rec.Id;
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            await ReleaseAsync(pinnedSnapshots, pinnedBlobs, failed).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Streams the layer the caller writes straight into the content store (hashed on the way),
    /// without holding the whole tar in memory or on disk twice.
    /// </summary>
    private async Task<BlobInfo> WriteLayerBlobAsync(Func<Stream, CancellationToken, Task> writeLayer, CancellationToken cancellationToken)
    {
        var (pipe, produce) = Wharf.Oci.IO.WriterPipe.Start(writeLayer, cancellationToken);
        BlobInfo blob;
        try
        {
            var reading = pipe.Reader.AsStream();
            await using (reading.ConfigureAwait(false))
            {
                blob = await _content.WriteAsync(reading, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // A failing writer reaches us through the pipe, so this is already the first
            // failure; only unblock a writer that is still writing and let it end.
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await produce.ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or IOException or Core.Errors.WharfException)
            {
            }

            throw;
        }

        await produce.ConfigureAwait(false);
        return blob;
    }
}
