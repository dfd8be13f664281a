using System.Security.Cryptography;
using System.Text;

namespace Wharf.Registry.Auth;

/// <summary>
/// The key ID distribution's token auth matches a token's <c>kid</c> against (docker/libtrust's
/// form): the SHA-256 of the public key's DER SubjectPublicKeyInfo, cut to 240 bits, in
/// unpadded base32, as twelve groups of four joined by colons. A registry trusting a certificate
/// in its <c>rootcertbundle</c> knows its key by this ID.
/// </summary>
internal static class TokenKeyId
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Of(AsymmetricAlgorithm publicKey)
    {
        var hash = SHA256.HashData(publicKey.ExportSubjectPublicKeyInfo()).AsSpan(0, 30);
        var b32 = Base32(hash);
        var sb = new StringBuilder(b32.Length + (b32.Length / 4));
        for (var i = 0; i < b32.Length; i += 4)
        {
            if (i > 0)
            {
                sb.Append(':');
            }
            sb.Append(b32, i, 4);
        }
        return sb.ToString();
    }

    /// <summary>RFC 4648 base32 without padding (30 bytes make exactly 48 characters).</summary>
    private static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return sb.ToString();
    }
}
