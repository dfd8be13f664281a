using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wharf.Registry.Wire;

namespace Wharf.Registry.Auth;

/// <summary>
/// Signs and checks bearer tokens: compact JWTs with HS256 under a secret only this registry
/// holds (the issuer and the resource server are the same process, so no key distribution).
/// </summary>
internal sealed class TokenCodec
{
    private static readonly byte[] Header = JsonSerializer.SerializeToUtf8Bytes(new JwtHeader("HS256", "JWT"), RegistryJsonContext.Default.JwtHeader);
    private readonly byte[] _key;

    public TokenCodec(byte[] key) => _key = key;

    public string Encode(TokenClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, RegistryJsonContext.Default.TokenClaims);
        var signingInput = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(payload);
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of a token this codec signed and that is valid at <paramref name="now"/> for <paramref name="audience"/>, else null.</summary>
    public TokenClaims? Decode(string token, DateTimeOffset now, string audience)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            {
                return null;
            }
            var header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), RegistryJsonContext.Default.JwtHeader);
            if (header?.Algorithm != "HS256")
            {
                return null;
            }
            var claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), RegistryJsonContext.Default.TokenClaims);
            var t = now.ToUnixTimeSeconds();
            return claims is not null && claims.Audience == audience && claims.Expires > t && claims.NotBefore <= t + 60 ? claims : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
