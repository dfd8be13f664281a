using System.Runtime.InteropServices;
using System.Text;

namespace Wharf.Linux;

/// <summary>
/// One rtnetlink request being written: the 16-byte nlmsghdr, the family header (ifinfomsg,
/// ifaddrmsg, rtmsg) and 4-byte aligned attributes, nested ones patched with their length when
/// closed. Numbers are in host byte order, as netlink wants; addresses are given as bytes.
/// </summary>
internal sealed class NetlinkRequest
{
    public const int HeaderSize = 16;

    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkRequest(ushort type, ushort flags)
    {
        Type = type;
        _length = HeaderSize;
        Write(4, type);
        Write(6, flags);
    }

    public ushort Type { get; }

    /// <summary>struct ifinfomsg: family, type, index, flags, change.</summary>
    public NetlinkRequest LinkHeader(int index, uint flags = 0, uint change = 0)
    {
        var at = Reserve(16);
        Write(at + 4, index);
        Write(at + 8, flags);
        Write(at + 12, change);
        return this;
    }

    /// <summary>struct ifaddrmsg: family, prefix length, flags, scope, index.</summary>
    public NetlinkRequest AddressHeader(byte family, byte prefixLength, byte scope, int index)
    {
        var at = Reserve(8);
        _buffer[at] = family;
        _buffer[at + 1] = prefixLength;
        _buffer[at + 3] = scope;
        Write(at + 4, index);
        return this;
    }

    /// <summary>struct rtmsg: family, dst/src length, tos, table, protocol, scope, type, flags.</summary>
    public NetlinkRequest RouteHeader(byte family, byte destinationLength, byte table, byte protocol, byte scope, byte type)
    {
        var at = Reserve(12);
        _buffer[at] = family;
        _buffer[at + 1] = destinationLength;
        _buffer[at + 4] = table;
        _buffer[at + 5] = protocol;
        _buffer[at + 6] = scope;
        _buffer[at + 7] = type;
        return this;
    }

    public NetlinkRequest Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var at = Reserve(Align(4 + value.Length));
        Write(at, (ushort)(4 + value.Length));
        Write(at + 2, type);
        value.CopyTo(_buffer.AsSpan(at + 4));
        return this;
    }

    public NetlinkRequest Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, in value);
        return Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string attribute (interface names, link kinds).</summary>
    public NetlinkRequest Attribute(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; the returned offset goes to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var at = Reserve(4);
        Write(at + 2, type);
        return at;
    }

    public NetlinkRequest EndNested(int start)
    {
        Write(start, (ushort)(_length - start));
        return this;
    }

    /// <summary>The finished message with its length and sequence number filled in.</summary>
    public ReadOnlySpan<byte> Finish(uint sequence)
    {
        Write(0, (uint)_length);
        Write(8, sequence);
        return _buffer.AsSpan(0, _length);
    }

    private static int Align(int n) => (n + 3) & ~3;

    private int Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var at = _length;
        _buffer.AsSpan(at, count).Clear();
        _length += count;
        return at;
    }

    private void Write<T>(int at, T value)
        where T : unmanaged
        => MemoryMarshal.Write(_buffer.AsSpan(at), in value);
}
