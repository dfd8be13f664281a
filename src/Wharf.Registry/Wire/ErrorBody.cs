using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>The spec's error body: <c>{"errors":[{"code":..,"message":..,"detail":..}]}</c>.</summary>
internal sealed record ErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<ErrorEntry> Errors);
