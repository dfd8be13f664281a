using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

public sealed partial class ImageService
{
    private const int MaxJsonBytes = 8 * 1024 * 1024;

    /// <summary>One image found in an archive: its config and, per layer, how to open its tar.</summary>
    private sealed record ArchiveImage(byte[] ConfigBytes, ImageConfig Config, IReadOnlyList<ArchiveLayer> Layers, IReadOnlyList<string> Names);

    private sealed record ArchiveLayer(ArchiveSpool.SpooledFile File, Digest? CompressedDigest);

    public async Task LoadAsync(Stream archive, bool quiet, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
    {
        await using var spool = await ArchiveSpool.ReadAsync(archive, _content.TempDirectory, cancellationToken).ConfigureAwait(false);
        var images = spool.Contains("manifest.json")
            ? await ReadDockerArchiveAsync(spool, cancellationToken).ConfigureAwait(false)
            : spool.Contains("index.json")
                ? await ReadOciLayoutAsync(spool, cancellationToken).ConfigureAwait(false)
                : throw WharfException.Invalid("invalid image archive: it has neither manifest.json (docker save format) nor index.json (OCI image layout)");
        if (images.Count == 0)
        {
            throw WharfException.Invalid("invalid image archive: it contains no images");
        }

        foreach (var image in images)
        {
            await LoadOneAsync(image, quiet, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LoadOneAsync(ArchiveImage image, bool quiet, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
    {
        var diffIds = image.Config.RootFs.DiffIds.Select(ParseDigest).ToList();
        var chainIds = Digest.ChainIds(diffIds);
        if (diffIds.Count != image.Layers.Count)
        {
            throw WharfException.Invalid($"invalid image archive: config lists {diffIds.Count} layers but the manifest has {image.Layers.Count}");
        }

        var pinnedSnapshots = new List<string>();
        var pinnedBlobs = new List<Digest>();
        var failed = true;
        try
        {
            string? parent = null;
            for (var i = 0; i < diffIds.Count; i++)
            {
                var layer = image.Layers[i];
                var chain = chainIds[i].Value;
                if (_snapshots.Exists(chain) && _content.Exists(diffIds[i]))
                {
                    Pin([chain], [diffIds[i]], +1);
                    pinnedSnapshots.Add(chain);
                    pinnedBlobs.Add(diffIds[i]);
                    if (!quiet)
                    {
                        await progress(new ProgressMessage { Status = "Loading layer", Id = diffIds[i].Short, Current = layer.File.Size, Total = layer.File.Size }).ConfigureAwait(false);
                    }

                    parent = chain;
                    continue;
                }

                if (layer.CompressedDigest is { } cd && cd != layer.File.Digest)
                {
                    throw WharfException.Invalid($"invalid image archive: layer digest mismatch: expected {cd}, got {layer.File.Digest}");
                }

                var id = diffIds[i];
                var total = layer.File.Size;
                var stored = _content.Exists(id);
                if (!stored && layer.File.Digest == id && File.Exists(layer.File.Path) && !await IsCompressedAsync(layer.File.Path, cancellationToken).ConfigureAwait(false))
                {
                    // The spooled file is the uncompressed layer and was hashed while spooling:
                    // move it into the content store instead of writing it a second time.
                    await _content.AdoptFileAsync(layer.File.Path, id, verified: true, cancellationToken).ConfigureAwait(false);
                    stored = true;
                }

                if (stored)
                {
                    (_, parent) = await UnpackBlobAsync(id, _content.GetSize(id), parent, pinnedSnapshots, pinnedBlobs, cancellationToken).ConfigureAwait(false);
                    if (!quiet)
                    {
                        await progress(new ProgressMessage { Status = "Loading layer", Id = id.Short, Current = total, Total = total }).ConfigureAwait(false);
                    }

                    continue;
                }

                Func<long, ValueTask> report = quiet
                    ? _ => ValueTask.CompletedTask
                    : n => progress(new ProgressMessage { Status = "Loading layer", Id = id.Short, Current = Math.Min(n, total), Total = total });
                await using (var file = new FileStream(layer.File.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan))
                {
                    var counted = new Wharf.Oci.IO.ProgressReadStream(file, Math.Max(512 * 1024, total / 20), report);
                    await using var plain = await _decompressor.OpenAsync(counted, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        (_, parent) = await IngestLayerAsync(plain, id, parent, pinnedSnapshots, pinnedBlobs, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WharfException e) when (e.Message.StartsWith("digest mismatch", StringComparison.Ordinal))
                    {
                        throw WharfException.Invalid($"invalid image archive: layer {i} does not match diff ID {id}: {e.Message}", e);
                    }
                }

                if (!quiet)
                {
                    await progress(new ProgressMessage { Status = "Loading layer", Id = id.Short, Current = total, Total = total }).ConfigureAwait(false);
                }
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var blob = await _content.WriteAsync(image.ConfigBytes, cancellationToken).ConfigureAwait(false);
                var rec = _store.Get(blob.Digest) ?? _store.BuildRecord(blob.Digest, image.ConfigBytes, new ImageMeta { Added = _time.GetUtcNow() });
                _store.Put(rec);
                _events.Publish("image", "load", rec.Id.Value, EventAttributes(rec, rec.Id.Value));
                failed = false;
                foreach (var name in image.Names)
                {
                    var moved = TagLocked(rec, name);
                    if (moved is { } old)
                    {
                        await progress(new ProgressMessage { Stream = $"The image {ImageNames.Familiar(name)} already exists, renaming the old one with ID {old} to empty string\n" }).ConfigureAwait(false);
                    }

                    await progress(new ProgressMessage { Stream = $"Loaded image: {ImageNames.Familiar(name)}\n" }).ConfigureAwait(false);
                }

                if (image.Names.Count == 0)
                {
                    await progress(new ProgressMessage { Stream = $"Loaded image ID: {rec.Id}\n" }).ConfigureAwait(false);
                }
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

    private static async Task<bool> IsCompressedAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        var n = await f.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return n >= 2 && ((head[0] == 0x1f && head[1] == 0x8b) || (n == 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd));
    }

    private static async Task<List<ArchiveImage>> ReadDockerArchiveAsync(ArchiveSpool spool, CancellationToken cancellationToken)
    {
        var manifestBytes = await spool.ReadSmallAsync("manifest.json", MaxJsonBytes, cancellationToken).ConfigureAwait(false);
        var entries = Deserialize(manifestBytes, OciJsonContext.Default.ListDockerArchiveManifestEntry, "manifest.json");
        var images = new List<ArchiveImage>();
        foreach (var entry in entries)
        {
            var configBytes = await spool.ReadSmallAsync(entry.Config, MaxJsonBytes, cancellationToken).ConfigureAwait(false);
            var config = Deserialize(configBytes, OciJsonContext.Default.ImageConfig, entry.Config);
            var layers = entry.Layers.Select(l => new ArchiveLayer(spool.Get(l), null)).ToList();
            var names = new List<string>();
            foreach (var tag in entry.RepoTags ?? [])
            {
                names.Add(ImageNames.TryFull(tag, out var err) ?? throw WharfException.Invalid($"invalid image archive: invalid tag \"{tag}\": {err}"));
            }

            images.Add(new ArchiveImage(configBytes, config, layers, names));
        }

        return images;
    }

    private static async Task<List<ArchiveImage>> ReadOciLayoutAsync(ArchiveSpool spool, CancellationToken cancellationToken)
    {
        var indexBytes = await spool.ReadSmallAsync("index.json", MaxJsonBytes, cancellationToken).ConfigureAwait(false);
        var index = Deserialize(indexBytes, OciJsonContext.Default.ImageIndex, "index.json");
        var byConfig = new Dictionary<Digest, ArchiveImage>();
        var order = new List<Digest>();
        foreach (var desc in index.Manifests)
        {
            var manifestDesc = await PickManifestAsync(spool, desc, 0, cancellationToken).ConfigureAwait(false);
            var manifestBytes = await ReadBlobAsync(spool, manifestDesc, cancellationToken).ConfigureAwait(false);
            var manifest = Deserialize(manifestBytes, OciJsonContext.Default.Manifest, manifestDesc.Digest);
            var configBytes = await ReadBlobAsync(spool, manifest.Config, cancellationToken).ConfigureAwait(false);
            var config = Deserialize(configBytes, OciJsonContext.Default.ImageConfig, manifest.Config.Digest);
            var layers = new List<ArchiveLayer>();
            foreach (var l in manifest.Layers)
            {
                var d = ParseDigest(l.Digest);
                var file = spool.Get(BlobPath(d));
                if (file.Size != l.Size)
                {
                    throw WharfException.Invalid($"invalid image archive: layer {d} has size {file.Size}, descriptor says {l.Size}");
                }

                layers.Add(new ArchiveLayer(file, d));
            }

            var name = NameFromAnnotations(desc.Annotations) ?? NameFromAnnotations(manifestDesc.Annotations);
            var configDigest = Digest.ComputeSha256(configBytes);
            if (!byConfig.TryGetValue(configDigest, out var existing))
            {
                order.Add(configDigest);
                byConfig[configDigest] = new ArchiveImage(configBytes, config, layers, name is null ? [] : [name]);
            }
            else if (name is not null && !existing.Names.Contains(name))
            {
                byConfig[configDigest] = existing with { Names = [.. existing.Names, name] };
            }
        }

        return [.. order.Select(d => byConfig[d])];
    }

    /// <summary>Follows nested indexes (multi-platform images) to the manifest for this host's platform.</summary>
    private static async Task<Descriptor> PickManifestAsync(ArchiveSpool spool, Descriptor desc, int depth, CancellationToken cancellationToken)
    {
        if (desc.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList))
        {
            return desc;
        }

        if (depth > 4)
        {
            throw WharfException.Invalid("invalid image archive: indexes nested too deeply");
        }

        var bytes = await ReadBlobAsync(spool, desc, cancellationToken).ConfigureAwait(false);
        var index = Deserialize(bytes, OciJsonContext.Default.ImageIndex, desc.Digest);
        var arch = Platforms.HostArchitecture;
        var pick = index.Manifests.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == arch)
            ?? index.Manifests.FirstOrDefault(m => m.Platform is null)
            ?? throw WharfException.Invalid($"invalid image archive: no manifest for linux/{arch}");
        var picked = await PickManifestAsync(spool, pick, depth + 1, cancellationToken).ConfigureAwait(false);
        return picked with { Annotations = picked.Annotations ?? desc.Annotations };
    }

    private static string? NameFromAnnotations(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return null;
        }

        if (annotations.TryGetValue(MediaTypes.AnnotationImageName, out var full) && ImageNames.TryFull(full, out _) is { } f)
        {
            return f;
        }

        // A ref.name that is only a tag (OCI allows that) names no repository.
        if (annotations.TryGetValue(MediaTypes.AnnotationRefName, out var refName) && (refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal)))
        {
            return ImageNames.TryFull(refName, out _);
        }

        return null;
    }

    private static async Task<byte[]> ReadBlobAsync(ArchiveSpool spool, Descriptor desc, CancellationToken cancellationToken)
    {
        var d = ParseDigest(desc.Digest);
        var bytes = await spool.ReadSmallAsync(BlobPath(d), MaxJsonBytes, cancellationToken).ConfigureAwait(false);
        if (d.Algorithm == Digest.Sha256 && Digest.ComputeSha256(bytes) != d)
        {
            throw WharfException.Invalid($"invalid image archive: content of {BlobPath(d)} does not match its digest");
        }

        if (desc.Size != bytes.Length)
        {
            throw WharfException.Invalid($"invalid image archive: {BlobPath(d)} has size {bytes.Length}, descriptor says {desc.Size}");
        }

        return bytes;
    }

    private static string BlobPath(Digest d) => $"blobs/{d.Algorithm}/{d.Hex}";

    private static Digest ParseDigest(string value)
        => Digest.TryParse(value, out var d) && d.Algorithm == Digest.Sha256 ? d : throw WharfException.Invalid($"invalid image archive: invalid digest \"{value}\"");

    private static T Deserialize<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw WharfException.Invalid($"invalid image archive: {what} is empty");
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid($"invalid image archive: {what} is not valid JSON: {e.Message}", e);
        }
    }
}
