namespace Wharf.Networking;

/// <summary>
/// The addresses of one network's subnet: the gateway and every container address are
/// reserved; new ones come from the IP range (the whole subnet by default), lowest free first
/// after the last one handed out, as libnetwork's bitmap allocator does.
/// </summary>
internal sealed class AddressPool
{
    private readonly HashSet<uint> _used = [];
    private readonly Cidr _range;
    private uint _next;

    public AddressPool(Cidr subnet, Cidr range, uint gateway)
    {
        Subnet = subnet;
        _range = range;
        Gateway = gateway;
        _next = range.Network;
    }

    public Cidr Subnet { get; }

    public uint Gateway { get; }

    public int Count => _used.Count;

    /// <summary>Reserves a given address; false when it is taken, the gateway, or not a host address of the subnet.</summary>
    public bool TryReserve(uint address)
    {
        if (!Subnet.Contains(address) || address == Gateway || IsReservedEnd(address))
        {
            return false;
        }

        return _used.Add(address);
    }

    /// <summary>The next free address of the range, or null when it is full.</summary>
    public uint? Allocate()
    {
        var size = _range.Size;
        for (ulong i = 0; i < size; i++)
        {
            var candidate = _range.Network + (uint)((_next - _range.Network + i) % size);
            if (candidate != Gateway && !IsReservedEnd(candidate) && _used.Add(candidate))
            {
                _next = candidate + 1;
                return candidate;
            }
        }

        return null;
    }

    public void Release(uint address) => _used.Remove(address);

    /// <summary>The subnet's network and broadcast addresses (a /31 or /32 has none to spare).</summary>
    private bool IsReservedEnd(uint address) => Subnet.PrefixLength < 31 && (address == Subnet.Network || address == Subnet.Broadcast);
}
