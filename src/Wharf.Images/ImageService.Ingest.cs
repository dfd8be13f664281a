using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

public sealed partial class ImageService : IImageIngester
{
    public IImageIngestSession BeginIngest(byte[] configBytes)
    {
        ImageConfig config;
        List<Digest> diffIds;
        try
        {
            config = JsonSerializer.Deserialize(configBytes, OciJsonContext.Default.ImageConfig) ?? throw WharfException.Invalid("invalid image config: empty");
            diffIds = [.. config.RootFs.DiffIds.Select(d => Digest.TryParse(d, out var p) && p.Algorithm == Digest.Sha256 ? p : throw WharfException.Invalid($"invalid image config: invalid diff ID \"{d}\""))];
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid($"invalid image config: {e.Message}", e);
        }

        if (config.Os is { Length: > 0 } os && os != "linux")
        {
            throw WharfException.Invalid($"image operating system \"{os}\" cannot be used on this platform");
        }

        return new IngestSession(this, configBytes, Digest.ComputeSha256(configBytes), diffIds);
    }

    /// <summary>The pins and layer chain of one ingest; see <see cref="IImageIngestSession"/>.</summary>
    private sealed class IngestSession(ImageService owner, byte[] configBytes, Digest id, IReadOnlyList<Digest> diffIds) : IImageIngestSession
    {
        private readonly IReadOnlyList<Digest> _chainIds = Digest.ChainIds(diffIds);
        private readonly List<string> _pinnedSnapshots = [];
        private readonly List<Digest> _pinnedBlobs = [];
        private readonly Dictionary<Digest, long> _stored = [];
        private readonly List<Digest> _storedPins = [];
        private bool _committed;
        private int _next;

        public Digest ImageId => id;

        public IReadOnlyList<Digest> DiffIds => diffIds;

        public bool HasLayer(int index)
        {
            var present = owner._snapshots.Exists(_chainIds[index].Value) && owner._content.Exists(diffIds[index]);
            if (present)
            {
                // Keep what is already there from being collected while this session runs.
                owner.Pin([_chainIds[index].Value], [diffIds[index]], +1);
                _pinnedSnapshots.Add(_chainIds[index].Value);
                _pinnedBlobs.Add(diffIds[index]);
            }

            return present;
        }

        public async Task AddLayerAsync(int index, Stream uncompressed, CancellationToken cancellationToken)
        {
            if (index < _next)
            {
                throw new InvalidOperationException("layers must be added bottom up");
            }

            await StoreLayerAsync(index, uncompressed, cancellationToken).ConfigureAwait(false);
            await UnpackStoredLayerAsync(index, cancellationToken).ConfigureAwait(false);
        }

        public async Task StoreLayerAsync(int index, Stream uncompressed, CancellationToken cancellationToken)
        {
            var diffId = diffIds[index];
            Core.Content.BlobInfo blob;
            try
            {
                blob = await owner.WriteLayerBlobAsync(uncompressed, diffId, cancellationToken).ConfigureAwait(false);
            }
            catch (WharfException e) when (e.Message.StartsWith("digest mismatch", StringComparison.Ordinal))
            {
                throw WharfException.Invalid($"layer {index} does not match its diff ID {diffId}: {e.Message}", e);
            }

            owner.Pin([], [diffId], +1);
            lock (_stored)
            {
                // Pins of stored layers get a list of their own: layers are stored while
                // earlier ones unpack, and that adds to _pinnedBlobs.
                _storedPins.Add(diffId);
                _stored[diffId] = blob.Size;
            }
        }

        public async Task UnpackStoredLayerAsync(int index, CancellationToken cancellationToken)
        {
            if (index < _next)
            {
                throw new InvalidOperationException("layers must be added bottom up");
            }

            long size;
            lock (_stored)
            {
                // A layer stored for another index with other content does not match this one's diff ID.
                size = _stored.TryGetValue(diffIds[index], out var s) ? s : throw WharfException.Invalid($"layer {index} does not match its diff ID {diffIds[index]}");
            }

            _next = index + 1;
            var parent = index == 0 ? null : _chainIds[index - 1].Value;
            await owner.UnpackBlobAsync(diffIds[index], size, parent, _pinnedSnapshots, _pinnedBlobs, cancellationToken).ConfigureAwait(false);
        }

        public async Task<bool> CommitAsync(IReadOnlyList<string> references, CancellationToken cancellationToken)
        {
            if (!_chainIds.All(c => owner._snapshots.Exists(c.Value)))
            {
                throw new InvalidOperationException("not every layer of the image was added");
            }

            await owner._gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await owner._content.WriteAsync(configBytes, cancellationToken).ConfigureAwait(false);
                var now = owner._time.GetUtcNow();
                var rec = owner._store.Get(id) ?? owner._store.BuildRecord(id, configBytes, new ImageMeta { Added = now });
                var changed = false;
                foreach (var r in references)
                {
                    var old = owner._store.Resolve(r);
                    if (old != id)
                    {
                        owner._store.SetRef(r, id);
                        changed = true;
                    }
                }

                owner._store.Put(changed ? rec with { LastTagTime = now } : rec);
                _committed = true;
                return changed;
            }
            finally
            {
                owner._gate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            List<Digest> blobs;
            lock (_stored)
            {
                blobs = [.. _pinnedBlobs, .. _storedPins];
            }

            await owner.ReleaseAsync(_pinnedSnapshots, blobs, !_committed).ConfigureAwait(false);
        }
    }
}
