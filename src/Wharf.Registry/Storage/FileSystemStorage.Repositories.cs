using System.Text;
using Wharf.Oci;

namespace Wharf.Registry.Storage;

internal sealed partial class FileSystemStorage
{
    private string LayerLink(string repository, Digest digest) =>
        Path.Combine(RepoPath(repository), "_layers", digest.Algorithm, digest.Hex);

    private string RevisionPath(string repository, Digest digest) =>
        Path.Combine(RepoPath(repository), "_manifests", "revisions", digest.Algorithm, digest.Hex);

    private string TagsDir(string repository) => Path.Combine(RepoPath(repository), "_manifests", "tags");

    private string ReferrersDir(string repository, Digest subject) =>
        Path.Combine(RepoPath(repository), "_referrers", subject.Algorithm, subject.Hex);

    public Task<bool> ExistsAsync(string repository, CancellationToken cancellationToken)
    {
        var dir = RepoPath(repository);
        return Task.FromResult(Directory.Exists(Path.Combine(dir, "_layers")) || Directory.Exists(Path.Combine(dir, "_manifests")));
    }

    public Task LinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        Touch(LayerLink(repository, digest));
        return Task.CompletedTask;
    }

    public Task<bool> IsBlobLinkedAsync(string repository, Digest digest, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(LayerLink(repository, digest)) || File.Exists(RevisionPath(repository, digest)));

    public Task<bool> UnlinkBlobAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        var link = LayerLink(repository, digest);
        if (!File.Exists(link))
        {
            return Task.FromResult(false);
        }
        File.Delete(link);
        return Task.FromResult(true);
    }

    public async Task PutManifestAsync(string repository, Digest digest, string mediaType, string? tag, Digest? subject, CancellationToken cancellationToken)
    {
        // Order matters for crash safety: the revision exists before any tag or referrer names it.
        await WriteAtomicAsync(RevisionPath(repository, digest), Encoding.UTF8.GetBytes(mediaType), cancellationToken).ConfigureAwait(false);
        if (subject is { } s)
        {
            Touch(Path.Combine(ReferrersDir(repository, s), digest.Algorithm + "-" + digest.Hex));
        }
        if (tag is not null)
        {
            await WriteAtomicAsync(Path.Combine(TagsDir(repository), tag), Encoding.UTF8.GetBytes(digest.Value), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string?> GetManifestMediaTypeAsync(string repository, Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(RevisionPath(repository, digest), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<Digest?> ResolveTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(Path.Combine(TagsDir(repository), tag), cancellationToken).ConfigureAwait(false);
            return Digest.TryParse(text.Trim(), out var d) ? d : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<bool> DeleteTagAsync(string repository, string tag, CancellationToken cancellationToken)
    {
        var path = Path.Combine(TagsDir(repository), tag);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    public async Task<bool> DeleteManifestAsync(string repository, Digest digest, Digest? subject, CancellationToken cancellationToken)
    {
        var revision = RevisionPath(repository, digest);
        if (!File.Exists(revision))
        {
            return false;
        }
        // Tags first, then the revision: a crash in between leaves a revision without tags, never a dangling tag.
        var tagsDir = TagsDir(repository);
        if (Directory.Exists(tagsDir))
        {
            foreach (var tagFile in Directory.EnumerateFiles(tagsDir))
            {
                var text = await File.ReadAllTextAsync(tagFile, cancellationToken).ConfigureAwait(false);
                if (text.Trim() == digest.Value)
                {
                    File.Delete(tagFile);
                }
            }
        }
        if (subject is { } s)
        {
            TryDelete(Path.Combine(ReferrersDir(repository, s), digest.Algorithm + "-" + digest.Hex));
        }
        File.Delete(revision);
        return true;
    }

    public Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var dir = TagsDir(repository);
        IReadOnlyList<string> tags = Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(t => t is not null && RepositoryName.IsValidTag(t)).Select(t => t!)]
            : [];
        return Task.FromResult(tags);
    }

    public Task<IReadOnlyList<string>> ListRepositoriesAsync(CancellationToken cancellationToken)
    {
        var result = new List<string>();
        Walk(_repositories, "");
        return Task.FromResult<IReadOnlyList<string>>(result);

        void Walk(string dir, string prefix)
        {
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                if (name.StartsWith('_'))
                {
                    continue;
                }
                var full = prefix.Length == 0 ? name : prefix + "/" + name;
                if (Directory.Exists(Path.Combine(sub, "_layers")) || Directory.Exists(Path.Combine(sub, "_manifests")))
                {
                    result.Add(full);
                }
                Walk(sub, full);
            }
        }
    }

    public Task<IReadOnlyList<Digest>> ListReferrersAsync(string repository, Digest subject, CancellationToken cancellationToken)
    {
        var dir = ReferrersDir(repository, subject);
        var result = new List<Digest>();
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && Digest.TryParse(name[..dash] + ":" + name[(dash + 1)..], out var d) && File.Exists(RevisionPath(repository, d)))
                {
                    result.Add(d);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<Digest>>(result);
    }

    public Task<IReadOnlyList<Digest>> ListManifestsAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Digest>>(ListDigestFiles(Path.Combine(RepoPath(repository), "_manifests", "revisions")));

    public Task<IReadOnlyList<Digest>> ListBlobLinksAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Digest>>(ListDigestFiles(Path.Combine(RepoPath(repository), "_layers")));
}
