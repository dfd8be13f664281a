namespace Wharf.Registry.Errors;

/// <summary>
/// The one place error kinds become spec codes and HTTP statuses
/// (OCI distribution-spec, "Error Codes"; Docker distribution's extra codes where the spec has none).
/// </summary>
internal static class RegistryErrors
{
    public static (string Code, int Status) Describe(RegistryErrorKind kind) => kind switch
    {
        RegistryErrorKind.BlobUnknown => ("BLOB_UNKNOWN", 404),
        RegistryErrorKind.BlobUploadInvalid => ("BLOB_UPLOAD_INVALID", 400),
        RegistryErrorKind.BlobUploadUnknown => ("BLOB_UPLOAD_UNKNOWN", 404),
        RegistryErrorKind.UploadRangeInvalid => ("BLOB_UPLOAD_INVALID", 416),
        RegistryErrorKind.RangeNotSatisfiable => ("SIZE_INVALID", 416),
        RegistryErrorKind.DigestInvalid => ("DIGEST_INVALID", 400),
        RegistryErrorKind.ManifestBlobUnknown => ("MANIFEST_BLOB_UNKNOWN", 400),
        RegistryErrorKind.ManifestInvalid => ("MANIFEST_INVALID", 400),
        RegistryErrorKind.ManifestUnknown => ("MANIFEST_UNKNOWN", 404),
        RegistryErrorKind.ManifestTooLarge => ("SIZE_INVALID", 413),
        RegistryErrorKind.NameInvalid => ("NAME_INVALID", 400),
        RegistryErrorKind.NameUnknown => ("NAME_UNKNOWN", 404),
        RegistryErrorKind.SizeInvalid => ("SIZE_INVALID", 400),
        RegistryErrorKind.TagInvalid => ("TAG_INVALID", 400),
        RegistryErrorKind.PaginationNumberInvalid => ("PAGINATION_NUMBER_INVALID", 400),
        RegistryErrorKind.Unauthorized => ("UNAUTHORIZED", 401),
        RegistryErrorKind.Denied => ("DENIED", 403),
        RegistryErrorKind.Unsupported => ("UNSUPPORTED", 405),
        RegistryErrorKind.RouteUnknown => ("UNSUPPORTED", 404),
        RegistryErrorKind.MethodNotAllowed => ("UNSUPPORTED", 405),
        RegistryErrorKind.StorageUnavailable => ("UNAVAILABLE", 503),
        _ => ("UNSUPPORTED", 500),
    };
}
