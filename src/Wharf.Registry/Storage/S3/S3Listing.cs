namespace Wharf.Registry.Storage.S3;

/// <summary>A listing under a prefix: objects, and (with a delimiter) the "folders" one level down; keys relative to the store's prefix.</summary>
internal sealed record S3Listing(IReadOnlyList<S3Object> Objects, IReadOnlyList<string> Prefixes);
