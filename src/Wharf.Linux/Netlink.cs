using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Wharf.Linux;

/// <summary>
/// An rtnetlink socket: links, addresses and routes of the network namespace the socket was
/// opened in (see <see cref="OpenIn"/>), without running iproute2. Every change is sent with
/// NLM_F_ACK and waits for the kernel's answer, so a refusal surfaces as a
/// <see cref="NetlinkException"/> carrying the errno. One request at a time: not thread-safe.
/// </summary>
public sealed unsafe class Netlink : IDisposable
{
    private const ushort RtmNewLink = 16;
    private const ushort RtmDelLink = 17;
    private const ushort RtmGetLink = 18;
    private const ushort RtmNewAddr = 20;
    private const ushort RtmNewRoute = 24;

    private const ushort NlmsgError = 2;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFAck = 0x4;
    private const ushort NlmFReplace = 0x100;
    private const ushort NlmFExcl = 0x200;
    private const ushort NlmFCreate = 0x400;
    private const ushort NlmFCapped = 0x100;
    private const ushort NlmFAckTlvs = 0x200;
    private const ushort NlmsgerrAttrMsg = 1;

    private const ushort IflaAddress = 1;
    private const ushort IflaIfname = 3;
    private const ushort IflaMaster = 10;
    private const ushort IflaMtu = 4;
    private const ushort IflaLinkinfo = 18;
    private const ushort IflaNetNsFd = 28;
    private const ushort IflaInfoKind = 1;
    private const ushort IflaInfoData = 2;
    private const ushort VethInfoPeer = 1;
    private const ushort IfaAddress = 1;
    private const ushort IfaLocal = 2;
    private const ushort RtaOif = 4;
    private const ushort RtaGateway = 5;

    private const uint IffUp = 0x1;
    private const byte RtTableMain = 254;
    private const byte RtprotBoot = 3;
    private const byte RtScopeUniverse = 0;
    private const byte RtnUnicast = 1;

    private readonly int _fd;
    private readonly byte[] _receive = new byte[64 * 1024];
    private uint _sequence;
    private bool _disposed;

    private Netlink(int fd) => _fd = fd;

    /// <summary>A socket in the calling thread's network namespace (the daemon's, for any pool thread).</summary>
    public static Netlink Open()
    {
        var fd = LibC.Socket(LibC.AfNetlink, LibC.SockRaw | LibC.SockCloexec, LibC.NetlinkRoute);
        if (fd < 0)
        {
            throw new ErrnoException("socket(AF_NETLINK)", Marshal.GetLastPInvokeError(), null);
        }

        // Ask for the kernel's reason with an error, and no copy of our request in the answer.
        // Both are best effort: kernels before 4.12 lack them and still report the errno.
        var on = 1;
        _ = LibC.Setsockopt(fd, LibC.SolNetlink, LibC.NetlinkExtAck, &on, sizeof(int));
        _ = LibC.Setsockopt(fd, LibC.SolNetlink, LibC.NetlinkCapAck, &on, sizeof(int));
        return new Netlink(fd);
    }

    /// <summary>
    /// A socket in the network namespace at <paramref name="netnsPath"/> (a <c>/run/netns</c>
    /// file or <c>/proc/PID/ns/net</c>). A socket keeps the namespace it was made in, so it can
    /// be used from any thread afterwards.
    /// </summary>
    public static Netlink OpenIn(string netnsPath) => NetworkNamespace.Run(netnsPath, Open);

    /// <summary>The index of the link named <paramref name="name"/>; ENODEV when there is none.</summary>
    public int LinkIndex(string name)
        => TryLinkIndex(name, out var index) ? index : throw new NetlinkException($"link {name}", Errno.ENODEV, null);

    public bool TryLinkIndex(string name, out int index)
    {
        var request = new NetlinkRequest(RtmGetLink, NlmFRequest).LinkHeader(0).Attribute(IflaIfname, name);
        var reply = Exchange(request, $"get link {name}", missingIsFalse: true);
        index = reply.Length >= NetlinkRequest.HeaderSize + 8 ? MemoryMarshal.Read<int>(reply.AsSpan(NetlinkRequest.HeaderSize + 4)) : 0;
        return index > 0;
    }

    /// <summary>
    /// A veth pair: <paramref name="name"/> here and <paramref name="peerName"/> either here too
    /// or, given <paramref name="peerNamespacePath"/>, made straight inside that namespace
    /// (what <c>ip link add NAME type veth peer name PEER netns NS</c> does). Both ends are down.
    /// </summary>
    public void CreateVethPair(string name, string peerName, string? peerNamespacePath = null)
    {
        var nsFd = -1;
        if (peerNamespacePath is not null)
        {
            nsFd = LibC.Open(peerNamespacePath, LibC.OCloexec, 0);
            if (nsFd < 0)
            {
                throw new ErrnoException("open", Marshal.GetLastPInvokeError(), peerNamespacePath);
            }
        }

        try
        {
            var request = new NetlinkRequest(RtmNewLink, NlmFRequest | NlmFAck | NlmFCreate | NlmFExcl).LinkHeader(0).Attribute(IflaIfname, name);
            var linkInfo = request.BeginNested(IflaLinkinfo);
            request.Attribute(IflaInfoKind, "veth");
            var data = request.BeginNested(IflaInfoData);
            var peer = request.BeginNested(VethInfoPeer);
            request.LinkHeader(0).Attribute(IflaIfname, peerName);
            if (nsFd >= 0)
            {
                request.Attribute(IflaNetNsFd, (uint)nsFd);
            }

            request.EndNested(peer).EndNested(data).EndNested(linkInfo);
            Exchange(request, $"create veth pair {name}/{peerName}");
        }
        finally
        {
            if (nsFd >= 0)
            {
                _ = LibC.Close(nsFd);
            }
        }
    }

    /// <summary>Puts the link on a bridge (<c>ip link set LINK master BRIDGE</c>).</summary>
    public void SetMaster(int index, int masterIndex)
        => Exchange(new NetlinkRequest(RtmNewLink, NlmFRequest | NlmFAck).LinkHeader(index).Attribute(IflaMaster, (uint)masterIndex), $"set master of link {index}");

    /// <summary>Sets the link's MTU (<c>ip link set LINK mtu N</c>).</summary>
    public void SetMtu(int index, int mtu)
        => Exchange(new NetlinkRequest(RtmNewLink, NlmFRequest | NlmFAck).LinkHeader(index).Attribute(IflaMtu, checked((uint)mtu)), $"set mtu {mtu} of link {index}");

    /// <summary>Brings the link up (<c>ip link set LINK up</c>).</summary>
    public void SetUp(int index)
        => Exchange(new NetlinkRequest(RtmNewLink, NlmFRequest | NlmFAck).LinkHeader(index, IffUp, IffUp), $"set link {index} up");

    /// <summary>Sets the link's hardware address, given as six colon-separated hex bytes.</summary>
    public void SetMacAddress(int index, string mac)
        => Exchange(new NetlinkRequest(RtmNewLink, NlmFRequest | NlmFAck).LinkHeader(index).Attribute(IflaAddress, ParseMac(mac)), $"set address {mac} of link {index}");

    /// <summary>Adds an address to the link (<c>ip addr add ADDRESS/PREFIX dev LINK</c>: no broadcast, global scope); EEXIST when it has it.</summary>
    public void AddAddress(int index, IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        var request = new NetlinkRequest(RtmNewAddr, NlmFRequest | NlmFAck | NlmFCreate | NlmFExcl)
            .AddressHeader(Family(address), checked((byte)prefixLength), RtScopeUniverse, index)
            .Attribute(IfaLocal, bytes)
            .Attribute(IfaAddress, bytes);
        Exchange(request, $"add address {address}/{prefixLength} to link {index}");
    }

    /// <summary>Makes <paramref name="gateway"/> through the link the default route of the main table (<c>ip route replace default via GW dev LINK</c>).</summary>
    public void ReplaceDefaultRoute(IPAddress gateway, int index)
    {
        var request = new NetlinkRequest(RtmNewRoute, NlmFRequest | NlmFAck | NlmFCreate | NlmFReplace)
            .RouteHeader(Family(gateway), 0, RtTableMain, RtprotBoot, RtScopeUniverse, RtnUnicast)
            .Attribute(RtaGateway, gateway.GetAddressBytes())
            .Attribute(RtaOif, (uint)index);
        Exchange(request, $"default route via {gateway}");
    }

    /// <summary>Deletes the link by name (a veth takes its peer with it); ENODEV when there is none.</summary>
    public void DeleteLink(string name)
        => Exchange(new NetlinkRequest(RtmDelLink, NlmFRequest | NlmFAck).LinkHeader(0).Attribute(IflaIfname, name), $"delete link {name}");

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = LibC.Close(_fd);
        }
    }

    internal static byte[] ParseMac(string mac)
    {
        var parts = mac.Split(':');
        if (parts.Length != 6)
        {
            throw new ArgumentException($"invalid MAC address: {mac}", nameof(mac));
        }

        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new ArgumentException($"invalid MAC address: {mac}", nameof(mac));
            }
        }

        return bytes;
    }

    private static byte Family(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => 2,
        AddressFamily.InterNetworkV6 => 10,
        _ => throw new ArgumentException($"not an IP address: {address}", nameof(address)),
    };

    /// <summary>
    /// Sends the request and reads until the answer with its sequence number: the ack (empty
    /// result), the reply message (a copy), or an error (thrown; with
    /// <paramref name="missingIsFalse"/>, ENODEV gives an empty result instead).
    /// </summary>
    private byte[] Exchange(NetlinkRequest request, string operation, bool missingIsFalse = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sequence = ++_sequence;
        var message = request.Finish(sequence);
        fixed (byte* p = message)
        {
            nint sent;
            do
            {
                sent = LibC.Send(_fd, p, (nuint)message.Length, 0);
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);

            if (sent < 0)
            {
                throw new NetlinkException(operation, Marshal.GetLastPInvokeError(), null);
            }
        }

        while (true)
        {
            nint received;
            fixed (byte* p = _receive)
            {
                do
                {
                    received = LibC.Recv(_fd, p, (nuint)_receive.Length, 0);
                }
                while (received < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr);
            }

            if (received < 0)
            {
                throw new NetlinkException(operation, Marshal.GetLastPInvokeError(), null);
            }

            var data = _receive.AsSpan(0, (int)received);
            while (data.Length >= NetlinkRequest.HeaderSize)
            {
                var length = (int)MemoryMarshal.Read<uint>(data);
                if (length < NetlinkRequest.HeaderSize || length > data.Length)
                {
                    break;
                }

                var msg = data[..length];
                data = data[Math.Min(data.Length, (length + 3) & ~3)..];
                if (MemoryMarshal.Read<uint>(msg[8..]) != sequence)
                {
                    continue; // an answer to an earlier request that gave up (or a notification)
                }

                if (MemoryMarshal.Read<ushort>(msg[4..]) != NlmsgError)
                {
                    return msg.ToArray();
                }

                var error = msg.Length >= NetlinkRequest.HeaderSize + 4 ? -MemoryMarshal.Read<int>(msg[NetlinkRequest.HeaderSize..]) : Errno.EIO;
                if (error == 0)
                {
                    return [];
                }

                if (missingIsFalse && error == Errno.ENODEV)
                {
                    return [];
                }

                throw new NetlinkException(operation, error, KernelMessage(msg));
            }
        }
    }

    /// <summary>The NLMSGERR_ATTR_MSG text of an error answer (extended ack), if the kernel gave one.</summary>
    private static string? KernelMessage(ReadOnlySpan<byte> msg)
    {
        var flags = MemoryMarshal.Read<ushort>(msg[6..]);
        if ((flags & NlmFAckTlvs) == 0)
        {
            return null;
        }

        // After the error code comes our request's header, or the whole request when not capped.
        var offset = NetlinkRequest.HeaderSize + 4;
        if (msg.Length < offset + NetlinkRequest.HeaderSize)
        {
            return null;
        }

        offset += (flags & NlmFCapped) != 0 ? NetlinkRequest.HeaderSize : (int)MemoryMarshal.Read<uint>(msg[offset..]);
        while (offset + 4 <= msg.Length)
        {
            var length = MemoryMarshal.Read<ushort>(msg[offset..]);
            var type = MemoryMarshal.Read<ushort>(msg[(offset + 2)..]);
            if (length < 4 || offset + length > msg.Length)
            {
                break;
            }

            if ((type & 0x3fff) == NlmsgerrAttrMsg)
            {
                return Encoding.UTF8.GetString(msg.Slice(offset + 4, length - 4)).TrimEnd('\0');
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }
}
