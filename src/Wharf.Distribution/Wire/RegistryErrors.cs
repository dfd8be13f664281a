using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

/// <summary>The distribution spec's error body: <c>{"errors":[{"code":..,"message":..}]}</c>.</summary>
internal sealed record RegistryErrors
{
    [JsonPropertyName("errors")]
    public IReadOnlyList<RegistryErrorItem>? Errors { get; init; }
}
