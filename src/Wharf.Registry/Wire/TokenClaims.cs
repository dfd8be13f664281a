using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>The claims of a registry bearer token (the JWT shape of Docker's token auth spec).</summary>
internal sealed record TokenClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("exp")] long Expires,
    [property: JsonPropertyName("nbf")] long NotBefore,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("jti")] string Id,
    [property: JsonPropertyName("access")] IReadOnlyList<TokenAccessEntry> Access);
