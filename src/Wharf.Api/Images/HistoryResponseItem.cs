using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record HistoryResponseItem
{
    [JsonPropertyName("Comment")]
    public string Comment { get; init; } = "";

    [JsonPropertyName("Created")]
    public long Created { get; init; }

    [JsonPropertyName("CreatedBy")]
    public string CreatedBy { get; init; } = "";

    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Size")]
    public long Size { get; init; }

    [JsonPropertyName("Tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}
