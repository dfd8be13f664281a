namespace Wharf.Registry.Storage.S3;

/// <summary>A multipart upload in progress: its key relative to the store's prefix, S3's id for it, and when it was started.</summary>
internal sealed record S3MultipartUpload(string Key, string UploadId, DateTimeOffset Initiated);
