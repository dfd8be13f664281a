using System.Formats.Tar;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// Writes an archive both <c>docker load</c> and OCI tools read: an OCI image layout
    /// (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/...</c>) plus the docker-archive
    /// <c>manifest.json</c> pointing at the same blobs, as Docker 25+ writes it. Layers are the
    /// stored uncompressed tars, so their digests are the diff IDs and a save/load round trip
    /// keeps the image ID. Entry times are fixed, so saving the same images twice gives the
    /// same bytes.
    /// </summary>
    public Func<Stream, CancellationToken, Task> PrepareSave(IReadOnlyList<string> names)
    {
        var selected = new List<(ImageRecord Image, List<string> Refs)>();
        foreach (var name in names)
        {
            if (ImageNames.IsBareRepo(name) && ImageNames.TryFull(name, out _) is { } bare)
            {
                // "docker save busybox" saves every tag of the repository.
                var repo = ImageNames.Repo(bare);
                var tagged = _store.All().SelectMany(i => _store.RefsOf(i.Id)).Where(r => ImageNames.Repo(r) == repo && !ImageNames.IsDigestRef(r)).ToList();
                foreach (var r in tagged)
                {
                    AddSelection(selected, _store.Get(_store.Resolve(r)!.Value)!, r);
                }

                if (tagged.Count > 0)
                {
                    continue;
                }
            }

            var img = TryResolve(name, out var fullRef) ?? throw NoSuchImage(name, fullRef);
            var byRef = fullRef is not null && _store.Resolve(fullRef) == img.Id;
            AddSelection(selected, img, byRef ? fullRef : null);
        }

        // dockerd 20.10's exporter refuses an image without layers (a build's metadata on
        // scratch: "empty export - not implemented"); Wharf writes it with an empty layer list,
        // which the OCI layout and the docker archive format both allow, and loads it back.
        return (output, ct) => WriteArchiveAsync(selected, output, ct);
    }

    private static void AddSelection(List<(ImageRecord Image, List<string> Refs)> selected, ImageRecord img, string? fullRef)
    {
        var existing = selected.FindIndex(s => s.Image.Id == img.Id);
        if (existing < 0)
        {
            selected.Add((img, fullRef is null ? [] : [fullRef]));
        }
        else if (fullRef is not null && !selected[existing].Refs.Contains(fullRef))
        {
            selected[existing].Refs.Add(fullRef);
        }
    }

    private async Task WriteArchiveAsync(List<(ImageRecord Image, List<string> Refs)> selected, Stream output, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await AddDirectoryAsync(writer, "blobs/", cancellationToken).ConfigureAwait(false);
            await AddDirectoryAsync(writer, "blobs/sha256/", cancellationToken).ConfigureAwait(false);
            var written = new HashSet<Digest>();
            var indexEntries = new List<Descriptor>();
            var manifestEntries = new List<DockerArchiveManifestEntry>();
            foreach (var (img, refs) in selected)
            {
                var layers = new List<Descriptor>();
                foreach (var diffId in img.DiffIds)
                {
                    var size = _content.GetSize(diffId);
                    layers.Add(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = diffId.Value, Size = size });
                    if (written.Add(diffId))
                    {
                        await using var data = _content.OpenRead(diffId);
                        await AddFileAsync(writer, "blobs/sha256/" + diffId.Hex, data, cancellationToken).ConfigureAwait(false);
                    }
                }

                var configBytes = await _content.ReadAllAsync(img.Id, cancellationToken).ConfigureAwait(false);
                if (written.Add(img.Id))
                {
                    await AddFileAsync(writer, "blobs/sha256/" + img.Id.Hex, new MemoryStream(configBytes), cancellationToken).ConfigureAwait(false);
                }

                var manifest = new Manifest
                {
                    MediaType = MediaTypes.OciManifest,
                    Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = img.Id.Value, Size = configBytes.Length },
                    Layers = layers,
                };
                var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.Manifest);
                var manifestDigest = Digest.ComputeSha256(manifestBytes);
                if (written.Add(manifestDigest))
                {
                    await AddFileAsync(writer, "blobs/sha256/" + manifestDigest.Hex, new MemoryStream(manifestBytes), cancellationToken).ConfigureAwait(false);
                }

                var familiarTags = refs.Select(ImageNames.Familiar).ToList();
                var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = manifestDigest.Value, Size = manifestBytes.Length };
                if (refs.Count == 0)
                {
                    indexEntries.Add(descriptor);
                }

                foreach (var r in refs)
                {
                    indexEntries.Add(descriptor with
                    {
                        Annotations = new Dictionary<string, string>
                        {
                            [MediaTypes.AnnotationImageName] = r,
                            [MediaTypes.AnnotationRefName] = ImageNames.TagOf(r) ?? "latest",
                        },
                    });
                }

                manifestEntries.Add(new DockerArchiveManifestEntry
                {
                    Config = "blobs/sha256/" + img.Id.Hex,
                    RepoTags = familiarTags.Count == 0 ? null : familiarTags,
                    Layers = [.. img.DiffIds.Select(d => "blobs/sha256/" + d.Hex)],
                });
            }

            var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = indexEntries };
            await AddFileAsync(writer, "index.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex)), cancellationToken).ConfigureAwait(false);
            await AddFileAsync(writer, "manifest.json", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifestEntries, OciJsonContext.Default.ListDockerArchiveManifestEntry)), cancellationToken).ConfigureAwait(false);
            await AddFileAsync(writer, "oci-layout", new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new ImageLayout(), OciJsonContext.Default.ImageLayout)), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (img, refs) in selected)
        {
            _events.Publish("image", "save", img.Id.Value, EventAttributes(img, refs.Count > 0 ? ImageNames.Familiar(refs[0]) : img.Id.Value));
        }
    }

    private static Task AddDirectoryAsync(TarWriter writer, string name, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        return writer.WriteEntryAsync(entry, cancellationToken);
    }

    private static async Task AddFileAsync(TarWriter writer, string name, Stream data, CancellationToken cancellationToken)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UnixEpoch,
            DataStream = data,
        };
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }
}
