namespace Wharf.Registry.Http;

internal enum RouteKind
{
    Unknown,
    Base,
    Catalog,
    Search,
    Token,
    Tags,
    Blob,
    Upload,
    Manifest,
    Referrers,
}
