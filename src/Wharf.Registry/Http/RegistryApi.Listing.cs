using System.Globalization;
using Microsoft.AspNetCore.Http;
using Wharf.Oci;
using Wharf.Oci.Image;
using Wharf.Registry.Errors;
using Wharf.Registry.Manifests;
using Wharf.Registry.Wire;

namespace Wharf.Registry.Http;

internal sealed partial class RegistryApi
{
    private async Task TagsAsync(HttpContext context, string name, CancellationToken ct)
    {
        if (!await _repos.ExistsAsync(name, ct).ConfigureAwait(false))
        {
            throw new RegistryException(RegistryErrorKind.NameUnknown, "repository name not known to registry", name);
        }
        var tags = await _repos.ListTagsAsync(name, ct).ConfigureAwait(false);
        var page = Page(context, tags, $"/v2/{name}/tags/list");
        await WriteJsonAsync(context, 200, new TagList(name, page), RegistryJsonContext.Default.TagList, ct).ConfigureAwait(false);
    }

    private async Task CatalogAsync(HttpContext context, CancellationToken ct)
    {
        var repos = await _repos.ListRepositoriesAsync(ct).ConfigureAwait(false);
        var page = Page(context, repos, "/v2/_catalog");
        await WriteJsonAsync(context, 200, new Catalog(page), RegistryJsonContext.Default.Catalog, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Lexical (ordinal) order; <c>last</c> starts after that entry, <c>n</c> bounds the page, and
    /// a full page links to the next one with an RFC 5988 <c>Link</c> header.
    /// </summary>
    private static List<string> Page(HttpContext context, IReadOnlyList<string> all, string path)
    {
        var query = context.Request.Query;
        int? n = null;
        if (query["n"].ToString() is { Length: > 0 } nText)
        {
            if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw new RegistryException(RegistryErrorKind.PaginationNumberInvalid, "invalid number of results requested", nText);
            }
            n = parsed;
        }
        var last = query["last"].ToString();
        var sorted = all.Order(StringComparer.Ordinal).Where(s => last.Length == 0 || string.CompareOrdinal(s, last) > 0).ToList();
        if (n is { } limit && sorted.Count > limit)
        {
            sorted = sorted.GetRange(0, limit);
            if (limit > 0)
            {
                context.Response.Headers.Link = $"<{path}?n={limit}&last={Uri.EscapeDataString(sorted[^1])}>; rel=\"next\"";
            }
        }
        return sorted;
    }

    private async Task SearchAsync(HttpContext context, CancellationToken ct)
    {
        var query = context.Request.Query;
        var term = query["q"].ToString();
        var limit = 25;
        if (query["n"].ToString() is { Length: > 0 } nText && int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            limit = Math.Min(n, 100);
        }
        var repos = await _repos.ListRepositoriesAsync(ct).ConfigureAwait(false);
        var matches = repos
            .Where(r => r.Contains(term, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var results = new List<SearchResult>();
        foreach (var repo in matches)
        {
            if (results.Count == limit)
            {
                break;
            }
            if (await _access.AllowsAsync(context, repo, "pull", ct).ConfigureAwait(false))
            {
                results.Add(new SearchResult(repo, "", 0, false, false));
            }
        }
        await WriteJsonAsync(context, 200, new SearchResults(results.Count, term, results), RegistryJsonContext.Default.SearchResults, ct).ConfigureAwait(false);
    }

    private async Task ReferrersAsync(HttpContext context, string name, string reference, CancellationToken ct)
    {
        var subject = ParseDigest(reference);
        var filter = context.Request.Query["artifactType"].ToString();
        var descriptors = new List<ReferrerDescriptor>();
        foreach (var digest in await _repos.ListReferrersAsync(name, subject, ct).ConfigureAwait(false))
        {
            string mediaType;
            byte[] bytes;
            try
            {
                (mediaType, bytes) = await LoadManifestAsync(name, digest, ct).ConfigureAwait(false);
            }
            catch (RegistryException)
            {
                continue; // deleted meanwhile
            }
            var info = ManifestParser.Parse(bytes, mediaType);
            var artifactType = info.ArtifactType ?? (info.IsIndex ? null : info.ConfigMediaType);
            if (filter.Length > 0 && artifactType != filter)
            {
                continue;
            }
            descriptors.Add(new ReferrerDescriptor(info.MediaType, bytes.Length, digest.Value, artifactType, info.Annotations));
        }
        if (filter.Length > 0)
        {
            context.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        descriptors.Sort((a, b) => string.CompareOrdinal(a.Digest, b.Digest));
        await WriteJsonAsync(context, 200, new ReferrersIndex(2, MediaTypes.OciIndex, descriptors), RegistryJsonContext.Default.ReferrersIndex, ct, MediaTypes.OciIndex).ConfigureAwait(false);
    }
}
