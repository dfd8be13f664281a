using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record ImageSummary
{
    [JsonPropertyName("Containers")]
    public int Containers { get; init; }

    [JsonPropertyName("Created")]
    public long Created { get; init; }

    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("ParentId")]
    public string ParentId { get; init; } = "";

    [JsonPropertyName("RepoDigests")]
    public IReadOnlyList<string>? RepoDigests { get; init; }

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("SharedSize")]
    public long SharedSize { get; init; }

    [JsonPropertyName("Size")]
    public long Size { get; init; }

    [JsonPropertyName("VirtualSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; init; }
}
