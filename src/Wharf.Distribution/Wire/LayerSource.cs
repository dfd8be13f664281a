using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

/// <summary>Where a layer (by diff ID) was seen as a compressed registry blob; kept for push.</summary>
internal sealed record LayerSource
{
    [JsonPropertyName("digest")]
    public string Digest { get; init; } = "";

    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; } = "";

    [JsonPropertyName("size")]
    public long Size { get; init; }

    /// <summary>Registry host and repository path, e.g. <c>127.0.0.1:5000/library/busybox</c>.</summary>
    [JsonPropertyName("repository")]
    public string Repository { get; init; } = "";
}
