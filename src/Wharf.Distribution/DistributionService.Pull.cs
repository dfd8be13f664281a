using Wharf.Core.Distribution;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Distribution.Wire;
using Wharf.Oci;
using Wharf.Oci.Image;
using Wharf.Oci.References;

namespace Wharf.Distribution;

public sealed partial class DistributionService
{
    private const int MaxConfigBytes = 8 * 1024 * 1024;

    public async Task PullAsync(PullRequest request, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
    {
        var reference = PullReference(request);
        var platform = PlatformSpec.Parse(request.Platform);
        var reporter = new ProgressReporter(progress);
        bool changed;
        if (reference.Tag is null && reference.Digest is null)
        {
            // No tag anywhere: every tag of the repository, as dockerd (docker pull --all-tags).
            changed = false;
            foreach (var tag in await ListTagsAsync(reference, request.Auth, cancellationToken).ConfigureAwait(false))
            {
                changed |= await PullOneAsync(reference.WithTag(tag), request.Auth, platform, reporter, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            changed = await PullOneAsync(reference, request.Auth, platform, reporter, cancellationToken).ConfigureAwait(false);
        }

        await reporter.StatusAsync((changed ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + reference.FamiliarString).ConfigureAwait(false);
    }

    /// <summary>The repository's tags from the first endpoint that answers (mirrors first).</summary>
    private async Task<List<string>> ListTagsAsync(ImageReference reference, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        foreach (var endpoint in _hosts.EndpointsFor(reference.Domain))
        {
            try
            {
                return await TagLister.ListAsync(new RegistrySession(_hosts, endpoint, reference.Path, auth, "pull"), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (endpoint.IsMirror && !cancellationToken.IsCancellationRequested && e is RegistryException or HttpRequestException or IOException or WharfException)
            {
                LogMirrorFailed(endpoint.Host, reference.Path, e.Message);
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
            {
                throw Translate(e, reference, push: false);
            }
        }

        throw new InvalidOperationException("no registry endpoint to ask");
    }

    /// <summary>Pulls one tag or digest; true when a reference changed (a newer image).</summary>
    private async Task<bool> PullOneAsync(ImageReference reference, RegistryAuth? auth, PlatformSpec platform, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        var tagOrDigest = reference.Digest?.Value ?? reference.Tag!;
        var endpoints = _hosts.EndpointsFor(reference.Domain);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var session = new RegistrySession(_hosts, endpoint, reference.Path, auth, "pull");
            FetchedManifest top;
            try
            {
                top = await ManifestFetcher.FetchAsync(session, tagOrDigest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (endpoint.IsMirror && !cancellationToken.IsCancellationRequested && e is RegistryException or HttpRequestException or IOException or WharfException)
            {
                LogMirrorFailed(endpoint.Host, reference.Path, e.Message);
                continue;
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
            {
                throw Translate(e, reference, push: false);
            }

            // Blobs come from this endpoint, and from the ones after it should this one be a mirror that fails.
            var rest = endpoints.Skip(i + 1).Select(next => new RegistrySession(_hosts, next, reference.Path, auth, "pull"));
            var sources = new BlobSources([session, .. rest], (failed, error) => LogMirrorFailed(failed.Endpoint.Host, reference.Path, error.Message));
            try
            {
                return await PullFromAsync(sources, reference, tagOrDigest, top, platform, reporter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
            {
                throw Translate(e, reference, push: false);
            }
        }

        throw new InvalidOperationException("no registry endpoint to ask");
    }

    /// <summary>
    /// The reference to pull: fromImage with the tag parameter (a tag or a digest). A name with
    /// neither means every tag (the API's empty <c>tag</c>, what <c>docker pull -a</c> sends).
    /// </summary>
    private static ImageReference PullReference(PullRequest request)
    {
        var r = ParseName(request.Image);
        if (!string.IsNullOrEmpty(request.Tag))
        {
            if (Digest.TryParse(request.Tag, out var d))
            {
                r = r.WithoutTagOrDigest().WithDigest(d);
            }
            else if (ImageReference.IsValidTag(request.Tag))
            {
                r = r.WithoutTagOrDigest().WithTag(request.Tag);
            }
            else
            {
                throw WharfException.Invalid("invalid reference format");
            }
        }

        if (r.Digest is not null && r.Tag is not null)
        {
            r = r.WithoutTagOrDigest().WithDigest(r.Digest.Value);
        }

        return r;
    }

    private async Task<bool> PullFromAsync(BlobSources sources, ImageReference reference, string tagOrDigest, FetchedManifest top, PlatformSpec platform, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        var session = sources.Current;
        var manifestDoc = top;
        if (top.IsIndex)
        {
            var pick = ManifestFetcher.PickPlatform(ManifestFetcher.ParseIndex(top), platform.Os, platform.Architecture, platform.Variant);
            manifestDoc = await FetchByDigestAsync(sources, pick.Digest, cancellationToken).ConfigureAwait(false);
            if (manifestDoc.IsIndex)
            {
                throw WharfException.Invalid($"invalid manifest list {top.Digest}: entry {pick.Digest} is itself an index");
            }
        }

        var manifest = ManifestFetcher.ParseManifest(manifestDoc);
        var configDigest = Digest.Parse(manifest.Config.Digest);
        var configBytes = await BlobDownloader.ReadSmallAsync(sources, configDigest, manifest.Config.Size, MaxConfigBytes, cancellationToken).ConfigureAwait(false);
        await using var ingest = _ingester.BeginIngest(configBytes);
        if (ingest.DiffIds.Count != manifest.Layers.Count)
        {
            throw WharfException.Invalid($"invalid manifest {manifestDoc.Digest}: {manifest.Layers.Count} layers but the image config lists {ingest.DiffIds.Count}");
        }

        await reporter.SendAsync(new ProgressMessage { Id = tagOrDigest, Status = "Pulling from " + reference.FamiliarName, Plain = true }).ConfigureAwait(false);
        var n = manifest.Layers.Count;
        var present = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            if (ingest.HasLayer(i))
            {
                present = i + 1;
                break;
            }
        }

        var layerDigests = manifest.Layers.Select(l => Digest.Parse(l.Digest)).ToList();
        for (var i = 0; i < n; i++)
        {
            await reporter.StatusAsync(layerDigests[i].Short, i < present ? "Already exists" : "Pulling fs layer").ConfigureAwait(false);
        }

        await DownloadAndUnpackAsync(sources, manifest, layerDigests, present, ingest, reporter, cancellationToken).ConfigureAwait(false);

        var refs = new List<string>();
        if (reference.Digest is null)
        {
            refs.Add(reference.ToString());
        }

        refs.Add(reference.WithoutTagOrDigest().WithDigest(top.Digest).ToString());
        var changed = await ingest.CommitAsync(refs, cancellationToken).ConfigureAwait(false);

        var repository = session.Endpoint.Host + "/" + reference.Path;
        for (var i = 0; i < n; i++)
        {
            _metadata.AddSource(ingest.DiffIds[i], new LayerSource { Digest = layerDigests[i].Value, MediaType = manifest.Layers[i].MediaType, Size = manifest.Layers[i].Size, Repository = repository });
        }

        _metadata.SetManifest(ingest.ImageId, manifestDoc.Bytes, manifestDoc.MediaType);
        _events.Publish("image", "pull", reference.FamiliarString, new Dictionary<string, string> { ["name"] = reference.FamiliarName });
        LogPulled(reference.ToString(), top.Digest.Value, session.Endpoint.Host);
        await reporter.StatusAsync("Digest: " + top.Digest).ConfigureAwait(false);
        return changed;
    }

    /// <summary>
    /// Downloads the missing layers, up to max-concurrent-downloads at once, while unpacking
    /// them bottom up as soon as each one (and every one under it) is there.
    /// </summary>
    private async Task DownloadAndUnpackAsync(BlobSources sources, Manifest manifest, List<Digest> layerDigests, int present, IImageIngestSession ingest, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slots = new SemaphoreSlim(Math.Max(1, _settings.MaxConcurrentDownloads));
        var downloads = new Dictionary<Digest, Task<string>>();
        var stores = new Dictionary<Digest, Task>();
        var files = new List<string>();
        try
        {
            for (var i = present; i < layerDigests.Count; i++)
            {
                var d = layerDigests[i];
                if (downloads.ContainsKey(d))
                {
                    continue;
                }

                var path = Path.Combine(_content.TempDirectory, $"pull-{Guid.NewGuid():N}-{d.Short}");
                files.Add(path);
                downloads[d] = DownloadLayerAsync(sources, d, manifest.Layers[i].Size, path, slots, reporter, cts.Token);
            }

            // Each layer is decompressed into the store (verified against its diff ID) as soon as
            // it is downloaded, while the layers under it still unpack; unpacking goes bottom up.
            for (var i = present; i < layerDigests.Count; i++)
            {
                var d = layerDigests[i];
                if (!stores.ContainsKey(d))
                {
                    stores[d] = StoreLayerAsync(i, d, downloads[d], ingest, reporter, cts.Token);
                }
            }

            for (var i = present; i < layerDigests.Count; i++)
            {
                var d = layerDigests[i];
                await stores[d].ConfigureAwait(false);
                await ingest.UnpackStoredLayerAsync(i, cts.Token).ConfigureAwait(false);
                await reporter.StatusAsync(d.Short, "Pull complete").ConfigureAwait(false);
            }
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            foreach (var t in downloads.Values.Concat(stores.Values))
            {
                try
                {
                    await t.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The first failure is the one reported.
                }
            }

            throw;
        }
        finally
        {
            foreach (var f in files)
            {
                File.Delete(f);
            }
        }
    }

    private async Task StoreLayerAsync(int index, Digest digest, Task<string> download, IImageIngestSession ingest, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        var path = await download.ConfigureAwait(false);
        var total = new FileInfo(path).Length;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var counted = new Wharf.Oci.IO.ProgressReadStream(file, Math.Max(512 * 1024, total / 50), read => reporter.BarAsync(digest.Short, "Extracting", Math.Min(read, total), total));
            await using var plain = await _decompressor.OpenAsync(counted, cancellationToken).ConfigureAwait(false);
            await ingest.StoreLayerAsync(index, plain, cancellationToken).ConfigureAwait(false);
        }

        await reporter.BarAsync(digest.Short, "Extracting", total, total).ConfigureAwait(false);
        File.Delete(path);
    }

    private static async Task<string> DownloadLayerAsync(BlobSources sources, Digest digest, long size, string path, SemaphoreSlim slots, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (!slots.Wait(0, CancellationToken.None))
        {
            await reporter.StatusAsync(digest.Short, "Waiting").ConfigureAwait(false);
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await BlobDownloader.DownloadAsync(sources, digest, size, path, got => reporter.BarAsync(digest.Short, "Downloading", got, size), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }

        await reporter.StatusAsync(digest.Short, "Verifying Checksum").ConfigureAwait(false);
        await reporter.StatusAsync(digest.Short, "Download complete").ConfigureAwait(false);
        return path;
    }

    /// <summary>A manifest by digest (content-addressed, so any endpoint's copy will do): a failing mirror hands over to the next endpoint.</summary>
    private static async Task<FetchedManifest> FetchByDigestAsync(BlobSources sources, string digest, CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = sources.Current;
            try
            {
                return await ManifestFetcher.FetchAsync(session, digest, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException or RegistryException && sources.FallBack(session, e))
            {
                // Try the next endpoint.
            }
        }
    }
}
