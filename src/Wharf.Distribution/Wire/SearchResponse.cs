using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

/// <summary>Docker Hub's <c>/v1/search</c> answer.</summary>
internal sealed record SearchResponse
{
    [JsonPropertyName("num_results")]
    public int NumResults { get; init; }

    [JsonPropertyName("query")]
    public string? Query { get; init; }

    [JsonPropertyName("results")]
    public IReadOnlyList<SearchResponseItem>? Results { get; init; }
}
