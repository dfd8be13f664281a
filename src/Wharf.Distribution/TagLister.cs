using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Distribution.Wire;

namespace Wharf.Distribution;

/// <summary>A repository's tags (<c>GET /v2/&lt;name&gt;/tags/list</c>), following the <c>Link</c> header across pages.</summary>
internal static class TagLister
{
    private const int MaxPages = 1000;
    private const int MaxPageBytes = 4 * 1024 * 1024;

    public static async Task<List<string>> ListAsync(RegistrySession session, CancellationToken cancellationToken)
    {
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        Uri? next = session.Url("tags/list");
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            var url = next;
            using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (response.Content.Headers.ContentLength > MaxPageBytes)
            {
                throw WharfException.Invalid("the registry's tag list is too large");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            TagList? list;
            try
            {
                list = JsonSerializer.Deserialize(body, DistributionWireContext.Default.TagList);
            }
            catch (JsonException e)
            {
                throw WharfException.Invalid("the registry's tag list is not valid JSON: " + e.Message, e);
            }

            foreach (var t in list?.Tags ?? [])
            {
                if (seen.Add(t))
                {
                    tags.Add(t);
                }
            }

            next = NextPage(url, response);
        }

        return tags;
    }

    /// <summary>The spec's <c>Link: &lt;/v2/name/tags/list?n=..&amp;last=..&gt;; rel="next"</c>, resolved against the page's URL.</summary>
    internal static Uri? NextPage(Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var part in value.Split(','))
            {
                var p = part.Trim();
                var open = p.IndexOf('<', StringComparison.Ordinal);
                var close = p.IndexOf('>', StringComparison.Ordinal);
                if (open < 0 || close < open || !p[close..].Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (Uri.TryCreate(current, p[(open + 1)..close], out var next) && next.Authority == current.Authority)
                {
                    return next;
                }
            }
        }

        return null;
    }
}
