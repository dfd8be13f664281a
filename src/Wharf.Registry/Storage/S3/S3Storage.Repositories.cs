using System.Text;
using Wharf.Oci;

namespace Wharf.Registry.Storage.S3;

internal sealed partial class S3Storage
{
    public async Task<bool> ExistsAsync(string repository, CancellationToken cancellationToken) =>
        await AnyUnderAsync(S3Keys.LayersPrefix(repository), cancellationToken).ConfigureAwait(false)
        || await AnyUnderAsync(S3Keys.Repository(repository) + "_manifests/", cancellationToken).ConfigureAwait(false);

    public Task LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        _s3.PutAsync(S3Keys.Layer(repository, digest), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public async Task<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await _s3.HeadAsync(S3Keys.Layer(repository, digest), cancellationToken).ConfigureAwait(false) is not null
        || await _s3.HeadAsync(S3Keys.Revision(repository, digest), cancellationToken).ConfigureAwait(false) is not null;

    public async Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var key = S3Keys.Layer(repository, digest);
        if (await _s3.HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        await _s3.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task PutManifestAsync(string repository, Digest digest, string mediaType, string? tag, Digest? subject, CancellationToken cancellationToken)
    {
        // As on disk: the revision exists before any tag or referrer names it.
        await _s3.PutAsync(S3Keys.Revision(repository, digest), Encoding.UTF8.GetBytes(mediaType), cancellationToken).ConfigureAwait(false);
        if (subject is { } s)
        {
            await _s3.PutAsync(S3Keys.Referrer(repository, s, digest), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }
        if (tag is not null)
        {
            await _s3.PutAsync(S3Keys.Tag(repository, tag), Encoding.UTF8.GetBytes(digest.Value), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string?> GetManifestMediaTypeAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        await _s3.GetBytesAsync(S3Keys.Revision(repository, digest), cancellationToken).ConfigureAwait(false) is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : null;

    public async Task<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken) =>
        await _s3.GetBytesAsync(S3Keys.Tag(repository, tag), cancellationToken).ConfigureAwait(false) is { } bytes
        && Digest.TryParse(Encoding.UTF8.GetString(bytes).Trim(), out var d)
            ? d
            : null;

    public async Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var key = S3Keys.Tag(repository, tag);
        if (await _s3.HeadAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        await _s3.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, Digest? subject, CancellationToken cancellationToken)
    {
        var revision = S3Keys.Revision(repository, digest);
        if (await _s3.HeadAsync(revision, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }
        // Tags first, then the revision: a crash in between leaves a revision without tags, never a dangling tag.
        foreach (var tag in await ListTagsAsync(repository, cancellationToken).ConfigureAwait(false))
        {
            if (await ResolveTagAsync(repository, tag, cancellationToken).ConfigureAwait(false) == digest)
            {
                await _s3.DeleteAsync(S3Keys.Tag(repository, tag), cancellationToken).ConfigureAwait(false);
            }
        }
        if (subject is { } s)
        {
            await _s3.DeleteAsync(S3Keys.Referrer(repository, s, digest), cancellationToken).ConfigureAwait(false);
        }
        await _s3.DeleteAsync(revision, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var prefix = S3Keys.TagsPrefix(repository);
        return [.. (await ListAllAsync(prefix, cancellationToken).ConfigureAwait(false))
            .Select(o => o.Key[prefix.Length..])
            .Where(RepositoryName.IsValidTag)];
    }

    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        // One delimited listing per level: a "folder" is a repository when it holds _layers/ or
        // _manifests/, and may hold nested repositories besides.
        var result = new List<string>();
        var pending = new Stack<string>();
        pending.Push(S3Keys.RepositoriesPrefix);
        while (pending.TryPop(out var folder))
        {
            var children = new List<string>();
            await foreach (var page in _s3.ListAsync(folder, "/", null, cancellationToken).ConfigureAwait(false))
            {
                children.AddRange(page.Prefixes);
            }
            foreach (var child in children)
            {
                var name = child[folder.Length..].TrimEnd('/');
                if (name.StartsWith('_'))
                {
                    if (name is "_layers" or "_manifests" && folder != S3Keys.RepositoriesPrefix)
                    {
                        var repository = folder[S3Keys.RepositoriesPrefix.Length..].TrimEnd('/');
                        if (!result.Contains(repository, StringComparer.Ordinal))
                        {
                            result.Add(repository);
                        }
                    }
                    continue;
                }
                pending.Push(child);
            }
        }
        return result;
    }

    public async Task<IReadOnlyList<Digest>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        var prefix = S3Keys.ReferrersPrefix(repository, subject);
        var result = new List<Digest>();
        foreach (var o in await ListAllAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (S3Keys.ReferrerDigest(prefix, o.Key) is { } d
                && await _s3.HeadAsync(S3Keys.Revision(repository, d), cancellationToken).ConfigureAwait(false) is not null)
            {
                result.Add(d);
            }
        }
        return result;
    }

    public Task<IReadOnlyList<Digest>> ListManifestsAsync(string repository, CancellationToken cancellationToken) =>
        ListDigestKeysAsync(S3Keys.RevisionsPrefix(repository), cancellationToken);

    public Task<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken) =>
        ListDigestKeysAsync(S3Keys.LayersPrefix(repository), cancellationToken);

    private async Task<IReadOnlyList<Digest>> ListDigestKeysAsync(string prefix, CancellationToken ct) =>
        [.. (await ListAllAsync(prefix, ct).ConfigureAwait(false)).Select(o => S3Keys.DigestUnder(prefix, o.Key)).OfType<Digest>()];
}
