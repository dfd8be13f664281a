using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wharf.Registry.Wire;

namespace Wharf.Registry.Auth;

/// <summary>
/// Signs and checks bearer tokens (compact JWTs). Either HS256 under a secret only this registry
/// holds (issuer and resource server are one process), or RS256 under an RSA key named by its
/// <c>kid</c> (distribution's libtrust key ID), so that another registry holding the key's
/// certificate (distribution's <c>rootcertbundle</c>) or its JWK can verify the tokens by key.
/// An RS256 token is accepted when its <c>kid</c> names a trusted public key: the signing key's
/// own, or one from a JWK set.
/// </summary>
internal sealed class TokenCodec
{
    private readonly byte[]? _secret;
    private readonly RSA? _signingKey;
    private readonly byte[] _header;
    private readonly Dictionary<string, RSA> _trusted;

    private TokenCodec(byte[]? secret, RSA? signingKey, IReadOnlyDictionary<string, RSA>? trusted)
    {
        _secret = secret;
        _signingKey = signingKey;
        _trusted = new Dictionary<string, RSA>(trusted ?? new Dictionary<string, RSA>(), StringComparer.Ordinal);
        if (signingKey is not null)
        {
            KeyId = TokenKeyId.Of(signingKey);
            _trusted[KeyId] = signingKey;
        }
        var header = signingKey is null ? new JwtHeader("HS256", "JWT") : new JwtHeader("RS256", "JWT", KeyId);
        _header = JsonSerializer.SerializeToUtf8Bytes(header, RegistryJsonContext.Default.JwtHeader);
    }

    /// <summary>HS256 under <paramref name="secret"/>.</summary>
    public TokenCodec(byte[] secret)
        : this(secret, null, null)
    {
    }

    /// <summary>RS256 under <paramref name="signingKey"/>; tokens whose kid names one of <paramref name="trusted"/> are accepted too.</summary>
    public static TokenCodec Rsa(RSA signingKey, IReadOnlyDictionary<string, RSA>? trusted = null) => new(null, signingKey, trusted);

    /// <summary>The kid of the signing key (RS256), or null (HS256).</summary>
    public string? KeyId { get; }

    public string Encode(TokenClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, RegistryJsonContext.Default.TokenClaims);
        var signingInput = Base64Url.EncodeToString(_header) + "." + Base64Url.EncodeToString(payload);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = _signingKey is { } rsa
            ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : HMACSHA256.HashData(_secret!, data);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The claims of a token signed by a trusted key and valid at <paramref name="now"/> for <paramref name="audience"/>, else null.</summary>
    public TokenClaims? Decode(string token, DateTimeOffset now, string audience)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            var header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), RegistryJsonContext.Default.JwtHeader);
            var data = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            var valid = header?.Algorithm switch
            {
                "HS256" when _secret is not null => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_secret, data), signature),
                "RS256" when header.KeyId is { } kid && _trusted.TryGetValue(kid, out var key) => key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => false,
            };
            if (!valid)
            {
                return null;
            }
            var claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), RegistryJsonContext.Default.TokenClaims);
            var t = now.ToUnixTimeSeconds();
            return claims is not null && claims.Audience == audience && claims.Expires > t && claims.NotBefore <= t + 60 ? claims : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException)
        {
            return null;
        }
    }
}
