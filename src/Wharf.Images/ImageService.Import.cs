using System.Text.Json;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

public sealed partial class ImageService
{
    public async Task<Digest> ImportAsync(Stream tar, ImportRequest request, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
    {
        // Validate everything the request names before reading the body.
        string? full = null;
        if (!string.IsNullOrEmpty(request.Repository))
        {
            full = ImageNames.ForTag(request.Repository, request.Tag);
        }

        var config = ConfigChanges.Apply(new ContainerConfig(), request.Changes);
        var (os, arch, variant) = Platforms.Parse(request.Platform);

        var pinnedSnapshots = new List<string>();
        var pinnedBlobs = new List<Digest>();
        var failed = true;
        try
        {
            await using var plain = await _decompressor.OpenAsync(tar, cancellationToken).ConfigureAwait(false);
            var (diffId, _) = await IngestLayerAsync(plain, null, null, pinnedSnapshots, pinnedBlobs, cancellationToken).ConfigureAwait(false);

            var created = _time.GetUtcNow();
            var comment = string.IsNullOrEmpty(request.Message) ? "Imported from -" : request.Message;
            var image = new ImageConfig
            {
                Architecture = arch,
                Os = os,
                Variant = variant,
                Created = created,
                Comment = request.Message,
                Config = config,
                ContainerConfig = new ContainerConfig(),
                RootFs = new RootFs { DiffIds = [diffId.Value] },
                History = [new HistoryEntry { Created = created, Comment = comment }],
            };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(image, OciJsonContext.Default.ImageConfig);

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var blob = await _content.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                var rec = _store.BuildRecord(blob.Digest, bytes, new ImageMeta { Added = created });
                _store.Put(rec);
                _events.Publish("image", "import", rec.Id.Value, EventAttributes(rec, rec.Id.Value));
                if (full is not null)
                {
                    TagLocked(rec, full);
                }

                failed = false;
                await progress(new ProgressMessage { Status = rec.Id.Value }).ConfigureAwait(false);
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
}
