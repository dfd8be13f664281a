using System.Diagnostics.CodeAnalysis;

namespace Wharf.Oci.References;

// Telling image IDs apart from names. Docker resolves "docker inspect X" as: a full ID or digest
// is an ID (ParseAnyReference); anything else is first looked up as a name, and only if no such
// tag exists is it tried as a (possibly short) ID prefix. So "abc123" is both a valid name and a
// valid ID prefix, and callers must keep that order.
public sealed partial class ImageReference
{
    private const string Sha256Prefix = "sha256:";

    /// <summary>
    /// Parses a name, a 64-hex image ID or a full digest (<c>ParseAnyReference</c>). A 64-hex
    /// string is always an ID (never the name <c>library/&lt;hex&gt;</c>) and means sha256.
    /// </summary>
    /// <exception cref="InvalidReferenceException">With Docker's error text, for names.</exception>
    public static AnyReference ParseAnyReference(string value)
        => TryParseAnyReference(value, out var r, out var error) ? r : throw new InvalidReferenceException(error);

    public static bool TryParseAnyReference(string? value, out AnyReference reference, [NotNullWhen(false)] out string? error)
    {
        value ??= string.Empty;
        if (IsFullHexId(value))
        {
            reference = new AnyReference(Oci.Digest.Parse(Sha256Prefix + value));
            error = null;
            return true;
        }

        if (Oci.Digest.TryParse(value, out var digest))
        {
            reference = new AnyReference(digest);
            error = null;
            return true;
        }

        if (TryParseNormalizedNamed(value, out var named, out error))
        {
            reference = new AnyReference(named);
            return true;
        }

        reference = default;
        return false;
    }

    /// <summary>
    /// True for a full image ID: 64 lower-case hex characters, bare or after <c>sha256:</c>.
    /// Such a string is never a repository name.
    /// </summary>
    public static bool IsFullImageId(string? value)
        => value is not null
            && (IsFullHexId(value)
                || (value.StartsWith(Sha256Prefix, StringComparison.Ordinal) && IsFullHexId(value.AsSpan(Sha256Prefix.Length))));

    /// <summary>
    /// True when <paramref name="value"/> could be a (short) image ID: 1 to 64 lower-case hex
    /// characters, optionally after <c>sha256:</c>, as Docker's ID search accepts.
    /// <paramref name="hexPrefix"/> is the hex part to match IDs against.
    /// </summary>
    public static bool TryParseImageIdPrefix(string? value, [NotNullWhen(true)] out string? hexPrefix)
    {
        hexPrefix = null;
        if (value is null)
        {
            return false;
        }

        var hex = value.StartsWith(Sha256Prefix, StringComparison.Ordinal) ? value[Sha256Prefix.Length..] : value;
        if (hex.Length is 0 or > 64 || !Oci.Digest.IsLowerHex(hex))
        {
            return false;
        }

        hexPrefix = hex;
        return true;
    }

    private static bool IsFullHexId(ReadOnlySpan<char> value) => value.Length == 64 && Oci.Digest.IsLowerHex(value);
}
