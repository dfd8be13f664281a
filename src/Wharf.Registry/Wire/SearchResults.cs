using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>Docker Hub's <c>GET /v1/search</c> answer, the shape <c>docker search</c> reads.</summary>
internal sealed record SearchResults(
    [property: JsonPropertyName("num_results")] int NumResults,
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("results")] IReadOnlyList<SearchResult> Results);
