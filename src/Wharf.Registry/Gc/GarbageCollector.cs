using Wharf.Oci;
using Wharf.Registry.Errors;
using Wharf.Registry.Manifests;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Gc;

/// <summary>
/// Mark and sweep over the storage: every blob some manifest revision of some repository
/// references (its config, layers, child manifests, and the manifest itself) is kept; the rest
/// is deleted together with the repository links that name it. Blobs younger than the grace
/// period survive too, so a push whose manifest has not arrived yet is not robbed of its layers.
/// Upload sessions untouched for the upload age are purged, and then, where the backend can hold
/// them (<see cref="IStrayUploadStore"/>), upload leftovers of that age no session names are aborted.
/// </summary>
internal sealed class GarbageCollector
{
    private readonly IBlobStore _blobs;
    private readonly IUploadStore _uploads;
    private readonly IRepositoryStore _repos;
    private readonly TimeProvider _time;

    public GarbageCollector(IBlobStore blobs, IUploadStore uploads, IRepositoryStore repos, TimeProvider time)
    {
        _blobs = blobs;
        _uploads = uploads;
        _repos = repos;
        _time = time;
    }

    public async Task<GcReport> RunAsync(GcOptions options, CancellationToken cancellationToken)
    {
        var marked = new HashSet<Digest>();
        var repositories = await _repos.ListRepositoriesAsync(cancellationToken).ConfigureAwait(false);
        var removedManifests = 0;
        foreach (var repo in repositories)
        {
            if (options.DeleteUntagged)
            {
                removedManifests += await DeleteUntaggedAsync(repo, options.DryRun, cancellationToken).ConfigureAwait(false);
            }
            foreach (var manifest in await _repos.ListManifestsAsync(repo, cancellationToken).ConfigureAwait(false))
            {
                if (options.DryRun && options.DeleteUntagged && !await IsReachableAsync(repo, manifest, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
                marked.Add(manifest);
                var info = await ReadAsync(repo, manifest, cancellationToken).ConfigureAwait(false);
                if (info is null)
                {
                    continue;
                }
                marked.UnionWith(info.Blobs);
                marked.UnionWith(info.Manifests);
            }
        }
        var cutoff = _time.GetUtcNow() - options.GracePeriod;
        var deleted = new HashSet<Digest>();
        long freed = 0;
        await foreach (var (digest, stored) in _blobs.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (marked.Contains(digest) || stored > cutoff)
            {
                continue;
            }
            var info = await _blobs.StatAsync(digest, cancellationToken).ConfigureAwait(false);
            freed += info?.Size ?? 0;
            deleted.Add(digest);
        }
        var links = 0;
        foreach (var repo in repositories)
        {
            foreach (var link in await _repos.ListBlobLinksAsync(repo, cancellationToken).ConfigureAwait(false))
            {
                if (deleted.Contains(link))
                {
                    links++;
                    if (!options.DryRun)
                    {
                        await _repos.UnlinkBlobAsync(repo, link, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        if (!options.DryRun)
        {
            // Links go first: a crash in between leaves an unreferenced blob for the next run, never a dangling link.
            foreach (var digest in deleted)
            {
                await _blobs.DeleteAsync(digest, cancellationToken).ConfigureAwait(false);
            }
        }
        var uploadCutoff = _time.GetUtcNow() - options.UploadMaxAge;
        var purged = options.DryRun ? 0 : await _uploads.PurgeAsync(uploadCutoff, cancellationToken).ConfigureAwait(false);
        // After the purge: the multipart uploads of the sessions it removed are gone, what is left no session names.
        var stray = _uploads is IStrayUploadStore s
            ? await s.AbortStrayUploadsAsync(uploadCutoff, options.DryRun, cancellationToken).ConfigureAwait(false)
            : 0;
        return new GcReport(marked.Count, deleted.Count, freed, links, removedManifests, purged, stray);
    }

    private async Task<ManifestInfo?> ReadAsync(string repo, Digest manifest, CancellationToken ct)
    {
        var mediaType = await _repos.GetManifestMediaTypeAsync(repo, manifest, ct).ConfigureAwait(false);
        var bytes = await _blobs.ReadAllAsync(manifest, ct).ConfigureAwait(false);
        if (mediaType is null || bytes is null)
        {
            return null;
        }
        try
        {
            return ManifestParser.Parse(bytes, mediaType);
        }
        catch (RegistryException)
        {
            return null;
        }
    }

    /// <summary>The revisions reachable from the repository's tags (through indexes) and the referrers of those.</summary>
    private async Task<HashSet<Digest>> ReachableAsync(string repo, CancellationToken ct)
    {
        var reachable = new HashSet<Digest>();
        var pending = new Stack<Digest>();
        foreach (var tag in await _repos.ListTagsAsync(repo, ct).ConfigureAwait(false))
        {
            if (await _repos.ResolveTagAsync(repo, tag, ct).ConfigureAwait(false) is { } d)
            {
                pending.Push(d);
            }
        }
        while (pending.TryPop(out var d))
        {
            if (!reachable.Add(d))
            {
                continue;
            }
            if (await ReadAsync(repo, d, ct).ConfigureAwait(false) is { } info)
            {
                foreach (var child in info.Manifests)
                {
                    pending.Push(child);
                }
            }
            foreach (var referrer in await _repos.ListReferrersAsync(repo, d, ct).ConfigureAwait(false))
            {
                pending.Push(referrer);
            }
        }
        return reachable;
    }

    private async Task<bool> IsReachableAsync(string repo, Digest manifest, CancellationToken ct) =>
        (await ReachableAsync(repo, ct).ConfigureAwait(false)).Contains(manifest);

    private async Task<int> DeleteUntaggedAsync(string repo, bool dryRun, CancellationToken ct)
    {
        var reachable = await ReachableAsync(repo, ct).ConfigureAwait(false);
        var removed = 0;
        foreach (var manifest in await _repos.ListManifestsAsync(repo, ct).ConfigureAwait(false))
        {
            if (reachable.Contains(manifest))
            {
                continue;
            }
            removed++;
            if (!dryRun)
            {
                var info = await ReadAsync(repo, manifest, ct).ConfigureAwait(false);
                await _repos.DeleteManifestAsync(repo, manifest, info?.Subject, ct).ConfigureAwait(false);
            }
        }
        return removed;
    }
}
