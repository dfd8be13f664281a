namespace Wharf.Registry.Errors;

/// <summary>
/// The closed set of failures the registry reports. Each maps to one spec error code and one
/// HTTP status in <see cref="RegistryErrors"/>; handlers name a kind and never a status.
/// </summary>
internal enum RegistryErrorKind
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    /// <summary>A chunk that does not start where the upload ends (416).</summary>
    UploadRangeInvalid,
    /// <summary>A Range header on a blob GET that the blob cannot satisfy (416).</summary>
    RangeNotSatisfiable,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    /// <summary>A manifest larger than the configured limit (413).</summary>
    ManifestTooLarge,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    TagInvalid,
    PaginationNumberInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    /// <summary>A path that is not part of the API.</summary>
    RouteUnknown,
    MethodNotAllowed,
    /// <summary>The storage backend failed or cannot be reached (an S3 endpoint down or refusing us): 503.</summary>
    StorageUnavailable,
}
