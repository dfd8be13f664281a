using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Networking;

/// <summary>An IPv4 prefix (network address and length), parsed strictly as Go's net.ParseCIDR does.</summary>
public readonly record struct Cidr(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    public uint Broadcast => Network | ~Mask;

    public ulong Size => 1UL << (32 - PrefixLength);

    /// <summary>Parses <c>a.b.c.d/n</c>; host bits are cleared (Go keeps the address but the network is what counts).</summary>
    public static bool TryParse(string text, out Cidr cidr, out uint address)
    {
        cidr = default;
        address = 0;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !TryParseAddress(text[..slash], out address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var len) || len is < 0 or > 32
            || text[(slash + 1)..].Length is 0 or > 2)
        {
            return false;
        }

        var mask = len == 0 ? 0u : uint.MaxValue << (32 - len);
        cidr = new Cidr(address & mask, len);
        return true;
    }

    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        if (text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var b = ip.GetAddressBytes();
        address = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        return true;
    }

    public static string Format(uint address)
        => string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Cidr other) => Contains(other.Network) || other.Contains(Network);

    public override string ToString() => Format(Network) + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
}
