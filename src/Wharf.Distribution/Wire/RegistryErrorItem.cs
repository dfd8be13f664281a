using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

internal sealed record RegistryErrorItem
{
    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
