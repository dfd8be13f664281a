using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>The token endpoint's answer in Docker's token-auth shape (both field names, as docker/distribution sends).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt);
