using Wharf.Oci;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// The object key layout, relative to the configured prefix; the filesystem store's layout with
/// objects for files:
/// <code>
/// blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;                              content (written whole, once verified)
/// uploads/&lt;id&gt;/state                                     session: repository, multipart id, parts, tail
/// uploads/&lt;id&gt;/tail-&lt;n&gt;                                  bytes received but not yet a full part
/// uploads/&lt;id&gt;/data                                      the assembled session before it is verified
/// repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;                 blob link (empty)
/// repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   revision (holds the media type)
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;               tag (holds the digest)
/// repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;  referrer link (empty)
/// </code>
/// Repository names never start with "_", so the "_" folders never collide with a nested repository.
/// </summary>
internal static class S3Keys
{
    public const string BlobsPrefix = "blobs/";
    public const string UploadsPrefix = "uploads/";
    public const string RepositoriesPrefix = "repositories/";

    public static string Blob(Digest d) => $"{BlobsPrefix}{d.Algorithm}/{d.Hex[..2]}/{d.Hex}";

    /// <summary>The digest a key under blobs/ names, or null for anything else.</summary>
    public static Digest? BlobDigest(string key)
    {
        if (!key.StartsWith(BlobsPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = key[BlobsPrefix.Length..].Split('/');
        return parts.Length == 3 && parts[2].Length > 2 && parts[2].StartsWith(parts[1], StringComparison.Ordinal)
            && Digest.TryParse(parts[0] + ":" + parts[2], out var d) ? d : null;
    }

    public static string Upload(string id) => UploadsPrefix + id + "/";

    public static string UploadState(string id) => Upload(id) + "state";

    public static string UploadData(string id) => Upload(id) + "data";

    public static string UploadTail(string id, long generation) => Upload(id) + "tail-" + generation.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Repository(string name) => RepositoriesPrefix + name + "/";

    public static string LayersPrefix(string name) => Repository(name) + "_layers/";

    public static string Layer(string name, Digest d) => $"{LayersPrefix(name)}{d.Algorithm}/{d.Hex}";

    public static string RevisionsPrefix(string name) => Repository(name) + "_manifests/revisions/";

    public static string Revision(string name, Digest d) => $"{RevisionsPrefix(name)}{d.Algorithm}/{d.Hex}";

    public static string TagsPrefix(string name) => Repository(name) + "_manifests/tags/";

    public static string Tag(string name, string tag) => TagsPrefix(name) + tag;

    public static string ReferrersPrefix(string name, Digest subject) => $"{Repository(name)}_referrers/{subject.Algorithm}/{subject.Hex}/";

    public static string Referrer(string name, Digest subject, Digest referrer) => $"{ReferrersPrefix(name, subject)}{referrer.Algorithm}-{referrer.Hex}";

    /// <summary>The digest named by a key ending in <c>&lt;alg&gt;/&lt;hex&gt;</c> under <paramref name="prefix"/>, or null.</summary>
    public static Digest? DigestUnder(string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = key[prefix.Length..].Split('/');
        return rest.Length == 2 && Digest.TryParse(rest[0] + ":" + rest[1], out var d) ? d : null;
    }

    /// <summary>The referrer digest named by a key under <see cref="ReferrersPrefix"/>, or null.</summary>
    public static Digest? ReferrerDigest(string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var name = key[prefix.Length..];
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && Digest.TryParse(name[..dash] + ":" + name[(dash + 1)..], out var d) ? d : null;
    }
}
