using System.Text.Json.Serialization;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// An upload session as stored in <c>uploads/&lt;id&gt;/state</c>: full parts already sent to a
/// multipart upload, then a tail object with the bytes that do not yet fill a part. Rewritten
/// whole after each change, so a crash leaves the previous consistent state; <see cref="Generation"/>
/// names the tail object, so a new tail never overwrites the one the stored state names.
/// </summary>
internal sealed record S3UploadState
{
    [JsonPropertyName("repository")]
    public required string Repository { get; init; }

    [JsonPropertyName("multipartId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MultipartId { get; init; }

    [JsonPropertyName("parts")]
    public IReadOnlyList<S3UploadPart> Parts { get; init; } = [];

    [JsonPropertyName("tailSize")]
    public long TailSize { get; init; }

    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    [JsonIgnore]
    public long Size => Parts.Sum(p => p.Size) + TailSize;
}
