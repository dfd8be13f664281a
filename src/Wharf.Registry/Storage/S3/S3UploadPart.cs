using System.Text.Json.Serialization;

namespace Wharf.Registry.Storage.S3;

/// <summary>One part of a session's multipart upload.</summary>
internal sealed record S3UploadPart(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("size")] long Size);
