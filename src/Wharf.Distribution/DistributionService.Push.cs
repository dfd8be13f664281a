using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Wharf.Core.Distribution;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Images;
using Wharf.Distribution.Wire;
using Wharf.Oci;
using Wharf.Oci.Image;
using Wharf.Oci.References;

namespace Wharf.Distribution;

public sealed partial class DistributionService
{
    public async Task PushAsync(string name, string? tag, RegistryAuth? auth, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
    {
        var repo = ParseName(name);
        if (!string.IsNullOrEmpty(tag))
        {
            if (!ImageReference.IsValidTag(tag))
            {
                throw WharfException.Invalid("invalid tag format");
            }

            repo = repo.WithoutTagOrDigest().WithTag(tag);
        }

        var targets = TagsToPush(repo);
        var reporter = new ProgressReporter(progress);
        var endpoint = _hosts.EndpointFor(repo.Domain);
        var session = new RegistrySession(_hosts, endpoint, repo.Path, auth, "pull,push");
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
        {
            throw Translate(e, repo, push: true);
        }

        await reporter.StatusAsync($"The push refers to repository [{repo.WithoutTagOrDigest()}]").ConfigureAwait(false);
        foreach (var target in targets)
        {
            try
            {
                await PushTagAsync(session, target, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
            {
                throw Translate(e, target, push: true);
            }
        }
    }

    /// <summary>The tag asked for, or every tag of the repository (Docker pushes all when none is given).</summary>
    private List<ImageReference> TagsToPush(ImageReference repo)
    {
        if (repo.Tag is not null)
        {
            try
            {
                _images.Inspect(repo.ToString());
            }
            catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw WharfException.NotFound("An image does not exist locally with the tag: " + repo.FamiliarName);
            }

            return [repo];
        }

        var list = new List<ImageReference>();
        foreach (var view in _images.List(all: true, FilterSet.Empty))
        {
            foreach (var t in view.RepoTags)
            {
                var r = ParseName(t);
                if (r.Name == repo.Name && r.Tag is not null)
                {
                    list.Add(r);
                }
            }
        }

        if (list.Count == 0)
        {
            throw WharfException.NotFound("An image does not exist locally with the tag: " + repo.FamiliarName);
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Tag, b.Tag));
        return list;
    }

    private async Task PushTagAsync(RegistrySession session, ImageReference target, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        var view = _images.Inspect(target.ToString());
        var image = view.Image;
        var configBytes = await _images.GetConfigBytesAsync(target.ToString(), cancellationToken).ConfigureAwait(false);
        var pulled = _metadata.ManifestOf(image.Id);
        Manifest? pulledManifest = null;
        if (pulled is { } p)
        {
            try
            {
                pulledManifest = JsonSerializer.Deserialize(p.Bytes, OciJsonContext.Default.Manifest);
            }
            catch (JsonException)
            {
                pulledManifest = null;
            }
        }

        var n = image.DiffIds.Count;
        for (var i = n - 1; i >= 0; i--)
        {
            await reporter.StatusAsync(image.DiffIds[i].Short, "Preparing").ConfigureAwait(false);
        }

        var slots = new SemaphoreSlim(Math.Max(1, _settings.MaxConcurrentUploads));
        var tasks = new Task<Descriptor>[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var preferred = pulledManifest is { } pm && pm.Layers.Count == n ? pm.Layers[i] : null;
            tasks[i] = PushLayerAsync(session, image.DiffIds[i], preferred, slots, reporter, cancellationToken);
        }

        var layers = await Task.WhenAll(tasks).ConfigureAwait(false);

        var configDigest = image.Id;
        if (!await BlobExistsAsync(session, configDigest, cancellationToken).ConfigureAwait(false))
        {
            await UploadAsync(session, configDigest, configBytes.Length, () => new MemoryStream(configBytes), _ => ValueTask.CompletedTask, cancellationToken).ConfigureAwait(false);
        }

        byte[] manifestBytes;
        string mediaType;
        if (pulled is { } orig && pulledManifest is { } pmf && pmf.Config.Digest == configDigest.Value && pmf.Layers.Select(l => l.Digest).SequenceEqual(layers.Select(l => l.Digest)))
        {
            // Pushed back as pulled: the exact bytes, so the digest stays the same.
            (manifestBytes, mediaType) = orig;
        }
        else
        {
            var manifest = new Manifest
            {
                SchemaVersion = 2,
                MediaType = MediaTypes.DockerManifest,
                Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Size = configBytes.Length, Digest = configDigest.Value },
                Layers = layers,
            };
            manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.Manifest);
            mediaType = MediaTypes.DockerManifest;
        }

        using (var response = await session.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Put, session.Url("manifests/" + target.Tag))
            {
                Content = new ByteArrayContent(manifestBytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
            },
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        var digest = Digest.ComputeSha256(manifestBytes);
        try
        {
            // As dockerd: the pushed manifest's repo@digest names the image from now on (RepoDigests).
            await _ingester.AddRepoDigestAsync(image.Id, target.WithoutTagOrDigest().WithDigest(digest).ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
            // The image was removed while it was pushed: nothing to name.
        }

        _events.Publish("image", "push", target.FamiliarString, new Dictionary<string, string> { ["name"] = target.FamiliarName });
        LogPushed(target.ToString(), digest.Value);
        await reporter.StatusAsync($"{target.Tag}: digest: {digest} size: {manifestBytes.Length}").ConfigureAwait(false);
        await reporter.SendAsync(new ProgressMessage { PushResult = new PushResult(target.Tag!, digest.Value, manifestBytes.Length) }).ConfigureAwait(false);
    }

    /// <summary>
    /// Gets one layer into the target repository, cheapest way first: a blob the registry already
    /// has, a mount from another repository of the same registry, else an upload of the gzip blob
    /// (made once and kept, so later pushes find it by digest).
    /// </summary>
    private async Task<Descriptor> PushLayerAsync(RegistrySession session, Digest diffId, Descriptor? preferred, SemaphoreSlim slots, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var id = diffId.Short;
        if (!slots.Wait(0, CancellationToken.None))
        {
            await reporter.StatusAsync(id, "Waiting").ConfigureAwait(false);
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var sources = _metadata.SourcesOf(diffId).ToList();
            if (preferred is not null)
            {
                sources.Sort((a, b) => (b.Digest == preferred.Digest ? 1 : 0) - (a.Digest == preferred.Digest ? 1 : 0));
            }

            var here = session.Endpoint.Host + "/" + session.Repository;
            foreach (var source in sources.DistinctBy(s => s.Digest))
            {
                var d = Digest.Parse(source.Digest);
                if (await BlobExistsAsync(session, d, cancellationToken).ConfigureAwait(false))
                {
                    _metadata.AddSource(diffId, source with { Repository = here });
                    await reporter.StatusAsync(id, "Layer already exists").ConfigureAwait(false);
                    return new Descriptor { MediaType = source.MediaType, Size = source.Size, Digest = source.Digest };
                }
            }

            foreach (var source in sources.Where(s => s.Repository.StartsWith(session.Endpoint.Host + "/", StringComparison.Ordinal) && s.Repository != here))
            {
                var from = source.Repository[(session.Endpoint.Host.Length + 1)..];
                if (await TryMountAsync(session, Digest.Parse(source.Digest), from, cancellationToken).ConfigureAwait(false))
                {
                    _metadata.AddSource(diffId, source with { Repository = here });
                    await reporter.StatusAsync(id, "Mounted from " + FamiliarPath(session.Endpoint.Host, from)).ConfigureAwait(false);
                    return new Descriptor { MediaType = source.MediaType, Size = source.Size, Digest = source.Digest };
                }
            }

            var (blob, size) = await CompressedBlobAsync(diffId, cancellationToken).ConfigureAwait(false);
            var mine = new LayerSource { Digest = blob.Value, MediaType = MediaTypes.DockerLayerGzip, Size = size, Repository = here };
            if (await BlobExistsAsync(session, blob, cancellationToken).ConfigureAwait(false))
            {
                _metadata.AddSource(diffId, mine);
                await reporter.StatusAsync(id, "Layer already exists").ConfigureAwait(false);
            }
            else
            {
                var path = CompressedPath(blob);
                await UploadAsync(
                    session,
                    blob,
                    size,
                    () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan),
                    sent => reporter.BarAsync(id, "Pushing", Math.Min(sent, size), size),
                    cancellationToken).ConfigureAwait(false);
                _metadata.AddSource(diffId, mine);
                await reporter.StatusAsync(id, "Pushed").ConfigureAwait(false);
            }

            return new Descriptor { MediaType = mine.MediaType, Size = size, Digest = mine.Digest };
        }
        finally
        {
            slots.Release();
        }
    }

    private static string FamiliarPath(string host, string path)
        => host == RegistryHosts.DockerHubApiHost && path.StartsWith("library/", StringComparison.Ordinal) ? path["library/".Length..] : path;

    private string CompressedPath(Digest blob) => Path.Combine(_settings.StateRoot, "blobs", blob.Hex);

    /// <summary>The gzip blob of a layer, made once and kept; its digest is remembered per diff ID.</summary>
    private async Task<(Digest Digest, long Size)> CompressedBlobAsync(Digest diffId, CancellationToken cancellationToken)
    {
        var known = _metadata.CompressedOf(diffId);
        if (known is { } k && File.Exists(CompressedPath(k)))
        {
            return (k, new FileInfo(CompressedPath(k)).Length);
        }

        var dir = Path.Combine(_settings.StateRoot, "blobs");
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, "tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var hashing = new HashingWriteStream(file, hash);
                await using (var gz = new GZipStream(hashing, CompressionLevel.Fastest, leaveOpen: true))
                {
                    await using var layer = _content.OpenRead(diffId);
                    await layer.CopyToAsync(gz, 256 * 1024, cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var digest = Digest.FromSha256Hash(hash.GetHashAndReset());
            File.Move(tmp, CompressedPath(digest), overwrite: true);
            _metadata.SetCompressed(diffId, digest);
            return (digest, new FileInfo(CompressedPath(digest)).Length);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static async Task<bool> BlobExistsAsync(RegistrySession session, Digest digest, CancellationToken cancellationToken)
    {
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Head, session.Url("blobs/" + digest.Value)), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> TryMountAsync(RegistrySession session, Digest digest, string from, CancellationToken cancellationToken)
    {
        var url = session.Url($"blobs/uploads/?mount={Uri.EscapeDataString(digest.Value)}&from={Uri.EscapeDataString(from)}");
        using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
        {
            // The registry opened an upload instead of mounting: cancel it.
            var abs = location.IsAbsoluteUri ? location : new Uri(session.BaseUri, location);
            using var cancel = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, abs), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>A monolithic upload: POST to open the session, PUT the whole blob with its digest.</summary>
    private static async Task UploadAsync(RegistrySession session, Digest digest, long size, Func<Stream> open, Func<long, ValueTask> progress, CancellationToken cancellationToken)
    {
        Uri location;
        using (var start = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, session.Url("blobs/uploads/")), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
            {
                throw await RegistryErrorReader.ReadAsync(start, cancellationToken).ConfigureAwait(false);
            }

            location = start.Headers.Location.IsAbsoluteUri ? start.Headers.Location : new Uri(session.BaseUri, start.Headers.Location);
        }

        var sep = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var put = new Uri(location + sep + "digest=" + Uri.EscapeDataString(digest.Value));
        using var response = await session.SendAsync(
            () =>
            {
                var content = new StreamContent(new Wharf.Oci.IO.ProgressReadStream(open(), 512 * 1024, progress), 256 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Headers.ContentLength = size;
                return new HttpRequestMessage(HttpMethod.Put, put) { Content = content };
            },
            HttpCompletionOption.ResponseContentRead,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }

        await progress(size).ConfigureAwait(false);
    }
}
