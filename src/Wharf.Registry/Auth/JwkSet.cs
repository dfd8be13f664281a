using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Wharf.Registry.Auth;

/// <summary>
/// Reads a JWK set (RFC 7517: <c>{"keys":[{"kty":"RSA","kid":..,"n":..,"e":..}]}</c>) of public
/// keys whose RS256 tokens are trusted, keyed by <c>kid</c>, as distribution's <c>jwks</c> option.
/// </summary>
internal static class JwkSet
{
    public static Dictionary<string, RSA> Parse(string json)
    {
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a JWK set needs a \"keys\" array");
        }
        foreach (var k in list.EnumerateArray())
        {
            if (Text(k, "kty") != "RSA")
            {
                continue; // only RSA keys sign RS256 tokens
            }
            var kid = Text(k, "kid") ?? throw new FormatException("an RSA key in the JWK set has no \"kid\"");
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = Base64Url.DecodeFromChars(Text(k, "n") ?? throw new FormatException($"JWK {kid} has no \"n\"")),
                Exponent = Base64Url.DecodeFromChars(Text(k, "e") ?? throw new FormatException($"JWK {kid} has no \"e\"")),
            });
            keys[kid] = rsa;
        }
        return keys;
    }

    /// <summary>The public JWK of <paramref name="key"/> under <paramref name="kid"/> (what a JWK set file lists).</summary>
    public static string ToJwk(RSA key, string kid)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("kty", "RSA");
            w.WriteString("kid", kid);
            w.WriteString("use", "sig");
            w.WriteString("alg", "RS256");
            w.WriteString("n", Base64Url.EncodeToString(p.Modulus));
            w.WriteString("e", Base64Url.EncodeToString(p.Exponent));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
