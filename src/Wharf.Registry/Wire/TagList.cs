using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>The body of <c>GET /v2/&lt;name&gt;/tags/list</c>.</summary>
internal sealed record TagList(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);
