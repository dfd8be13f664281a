using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>One granted scope: <c>{"type":"repository","name":"a/b","actions":["pull"]}</c>.</summary>
internal sealed record TokenAccessEntry(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("actions")] IReadOnlyList<string> Actions);
