using Wharf.Core.Errors;
using Wharf.Oci;

namespace Wharf.Snapshots;

/// <summary>Validates snapshot keys; only the hex part ever becomes a path component.</summary>
internal static class SnapshotKey
{
    /// <summary>The 64-hex part of a <c>sha256:</c> chain ID; anything else is InvalidArgument.</summary>
    public static string ToHex(string key)
    {
        if (!Digest.TryParse(key, out var digest) || digest.Algorithm != Digest.Sha256)
        {
            throw WharfException.Invalid($"invalid snapshot key \"{key}\": expected sha256:<64 hex>");
        }

        return digest.Hex;
    }

    public static bool IsHexName(string name) => name.Length == 64 && Digest.IsLowerHex(name);
}
