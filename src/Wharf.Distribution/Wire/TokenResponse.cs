using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

/// <summary>A token server's answer (Docker's token spec: <c>token</c>, or OAuth2's <c>access_token</c>).</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }
}
