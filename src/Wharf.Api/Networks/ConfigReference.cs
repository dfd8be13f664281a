using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>A network's <c>ConfigFrom</c> (config-only networks; always empty here).</summary>
public sealed record ConfigReference
{
    [JsonPropertyName("Network")]
    public string Network { get; init; } = "";
}
