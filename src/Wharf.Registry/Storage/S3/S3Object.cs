namespace Wharf.Registry.Storage.S3;

/// <summary>One entry of a listing: the key relative to the store's prefix, its size and last change.</summary>
internal sealed record S3Object(string Key, long Size, DateTimeOffset LastModified);
