using System.Security.Cryptography;

namespace Wharf.Oci;

/// <summary>
/// A content digest of the form <c>algorithm:hex</c>. Only sha256 and sha512 are accepted,
/// and the hex part is validated (lower case, exact length), so a digest is always safe to
/// use as a file name.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(DigestJsonConverter))]
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    public string Algorithm { get; }
    public string Hex { get; }

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Value => Algorithm + ":" + Hex;

    /// <summary>The first 12 hex characters, as docker prints short IDs.</summary>
    public string Short => Hex[..12];

    public override string ToString() => Value;

    public static Digest Parse(string value)
        => TryParse(value, out var d) ? d : throw new FormatException($"invalid digest \"{value}\"");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var alg = value[..colon];
        var hex = value[(colon + 1)..];
        var expected = alg switch
        {
            Sha256 => 64,
            Sha512 => 128,
            _ => -1,
        };
        if (expected < 0 || hex.Length != expected || !IsLowerHex(hex))
        {
            return false;
        }

        digest = new Digest(alg, hex);
        return true;
    }

    /// <summary>True for a bare 64-character lower-case hex string (an image ID without prefix).</summary>
    public static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return s.Length > 0;
    }

    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) => new(Sha256, Convert.ToHexStringLower(hash));

    public static Digest ComputeSha256(ReadOnlySpan<byte> data) => FromSha256Hash(SHA256.HashData(data));

    public static async Task<Digest> ComputeSha256Async(Stream stream, CancellationToken cancellationToken)
        => FromSha256Hash(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The chain ID of a layer stack as the OCI image spec defines it:
    /// ChainID(L0) = DiffID(L0); ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).
    /// </summary>
    public static Digest ChainId(IReadOnlyList<Digest> diffIds)
    {
        if (diffIds.Count == 0)
        {
            throw new ArgumentException("no layers", nameof(diffIds));
        }

        return ChainIds(diffIds)[^1];
    }

    /// <summary>The chain ID of every layer prefix, bottom first, computed in one pass.</summary>
    public static IReadOnlyList<Digest> ChainIds(IReadOnlyList<Digest> diffIds)
    {
        var chains = new Digest[diffIds.Count];
        for (var i = 0; i < diffIds.Count; i++)
        {
            chains[i] = i == 0 ? diffIds[0] : NextChainId(chains[i - 1], diffIds[i]);
        }

        return chains;
    }

    /// <summary>The chain ID of a layer stacked on a parent chain.</summary>
    public static Digest NextChainId(Digest parentChain, Digest diffId)
        => ComputeSha256(System.Text.Encoding.ASCII.GetBytes(parentChain.Value + " " + diffId.Value));
}
