using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Wharf.Networking.Dns;

/// <summary>
/// Passes a query the embedded server cannot answer to the container's upstream resolvers,
/// one after the other, from the daemon's own namespace (so a resolver on the host's loopback,
/// such as 127.0.0.53, serves containers too). UDP queries go out over UDP, TCP ones over TCP;
/// a reply counts only when its ID is the query's.
/// </summary>
internal static class DnsForwarder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<byte[]?> ForwardAsync(byte[] query, IReadOnlyList<IPEndPoint> servers, bool tcp, CancellationToken cancellationToken)
    {
        foreach (var server in servers)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                var reply = tcp ? await OverTcpAsync(query, server, timeout.Token).ConfigureAwait(false) : await OverUdpAsync(query, server, timeout.Token).ConfigureAwait(false);
                if (reply is { Length: >= 12 } && reply[0] == query[0] && reply[1] == query[1])
                {
                    return reply;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // This resolver is down or slow; try the next.
            }
        }

        return null;
    }

    private static async Task<byte[]> OverUdpAsync(byte[] query, IPEndPoint server, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[65535];
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        return buffer[..n];
    }

    private static async Task<byte[]?> OverTcpAsync(byte[] query, IPEndPoint server, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        if (!await DnsListener.ReadExactlyAsync(socket, prefix, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await DnsListener.ReadExactlyAsync(socket, reply, cancellationToken).ConfigureAwait(false) ? reply : null;
    }
}
