using System.Text.Json.Serialization;

namespace Wharf.Api.Distribution;

/// <summary>The answer of <c>POST /auth</c>.</summary>
public sealed record AuthResponse
{
    [JsonPropertyName("Status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("IdentityToken")]
    public string IdentityToken { get; init; } = "";
}
