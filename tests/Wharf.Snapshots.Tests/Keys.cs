using System.Security.Cryptography;
using System.Text;

namespace Wharf.Snapshots.Tests;

internal static class Keys
{
    /// <summary>A valid chain ID derived from a readable name.</summary>
    public static string Of(string name) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
