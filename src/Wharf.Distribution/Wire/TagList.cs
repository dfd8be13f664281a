using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

/// <summary>The answer of <c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
internal sealed record TagList
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}
