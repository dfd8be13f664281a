namespace Wharf.Registry.Http;

/// <summary>A request path taken apart: which endpoint, for which repository, with which last segment.</summary>
internal readonly record struct Route(RouteKind Kind, string Name, string Segment)
{
    /// <summary>
    /// Parses a path. Repository names may hold slashes, so the endpoint is found from the end:
    /// the last segment (digest, tag, session id) never holds one.
    /// </summary>
    public static Route Parse(string path)
    {
        switch (path)
        {
            case "/v2" or "/v2/":
                return new(RouteKind.Base, "", "");
            case "/v2/_catalog":
                return new(RouteKind.Catalog, "", "");
            case "/v1/search":
                return new(RouteKind.Search, "", "");
            case "/token" or "/v2/token":
                return new(RouteKind.Token, "", "");
        }
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return new(RouteKind.Unknown, "", "");
        }
        var rest = path[4..];
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return new(RouteKind.Tags, rest[..^"/tags/list".Length], "");
        }
        if (rest.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            return new(RouteKind.Upload, rest[..^"/blobs/uploads".Length], "");
        }
        var slash = rest.LastIndexOf('/');
        if (slash <= 0)
        {
            return new(RouteKind.Unknown, "", "");
        }
        var before = rest[..slash];
        var last = rest[(slash + 1)..];
        if (before.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            return new(RouteKind.Upload, before[..^"/blobs/uploads".Length], last);
        }
        if (before.EndsWith("/blobs", StringComparison.Ordinal))
        {
            return new(RouteKind.Blob, before[..^"/blobs".Length], last);
        }
        if (before.EndsWith("/manifests", StringComparison.Ordinal))
        {
            return new(RouteKind.Manifest, before[..^"/manifests".Length], last);
        }
        if (before.EndsWith("/referrers", StringComparison.Ordinal))
        {
            return new(RouteKind.Referrers, before[..^"/referrers".Length], last);
        }
        return new(RouteKind.Unknown, "", "");
    }
}
