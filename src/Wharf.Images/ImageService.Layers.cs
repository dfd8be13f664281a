using Wharf.Core.Errors;
using Wharf.Oci;

namespace Wharf.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// Stores an uncompressed layer tar as a blob (its digest is the diff ID) and unpacks it as
    /// the snapshot on top of <paramref name="parentChain"/>. The blob and snapshot are pinned
    /// against garbage collection until the caller unpins them after committing the image.
    /// </summary>
    private async Task<(Digest DiffId, string ChainKey)> IngestLayerAsync(Stream uncompressed, Digest? expectedDiffId, string? parentChain, List<string> pinnedSnapshots, List<Digest> pinnedBlobs, CancellationToken cancellationToken)
    {
        var blob = await WriteLayerBlobAsync(uncompressed, expectedDiffId, cancellationToken).ConfigureAwait(false);
        return await UnpackBlobAsync(blob.Digest, blob.Size, parentChain, pinnedSnapshots, pinnedBlobs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores an uncompressed layer tar as a blob (its digest is the diff ID), unpinned.</summary>
    private async Task<Core.Content.BlobInfo> WriteLayerBlobAsync(Stream uncompressed, Digest? expectedDiffId, CancellationToken cancellationToken)
    {
        try
        {
            return await _content.WriteAsync(uncompressed, expectedDiffId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            // A corrupt gzip or zstd stream: a bad-input error (in the pull stream too), not a broken connection.
            throw WharfException.Invalid("failed to register layer: " + e.Message, e);
        }
    }

    private async Task<(Digest DiffId, string ChainKey)> UnpackBlobAsync(Digest diffId, long size, string? parentChain, List<string> pinnedSnapshots, List<Digest> pinnedBlobs, CancellationToken cancellationToken)
    {
        Pin([], [diffId], +1);
        pinnedBlobs.Add(diffId);
        if (size == 0)
        {
            throw WharfException.Invalid("Error processing tar file: unexpected EOF (empty layer stream)");
        }

        var key = parentChain is null
            ? diffId.Value
            : Digest.NextChainId(Digest.Parse(parentChain), diffId).Value;
        Pin([key], [], +1);
        pinnedSnapshots.Add(key);
        await _layerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_snapshots.Exists(key))
            {
                await using var tar = _content.OpenRead(diffId);
                await _snapshots.ApplyLayerAsync(key, parentChain, tar, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _layerGate.Release();
        }

        return (diffId, key);
    }

    /// <summary>Releases pins and removes what a failed ingest left unreferenced.</summary>
    private async Task ReleaseAsync(List<string> pinnedSnapshots, List<Digest> pinnedBlobs, bool failed)
    {
        Pin(pinnedSnapshots, pinnedBlobs, -1);
        if (failed)
        {
            await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await CollectGarbageAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
