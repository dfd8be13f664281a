using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Wharf.Linux;

namespace Wharf.Networking.Dns;

/// <summary>
/// The embedded DNS server of one container: a UDP socket and a TCP listener on 127.0.0.11 made
/// inside the container's network namespace and served from the daemon, on port 53 or (so that
/// the container's own programs can use port 53) on ports the kernel picks, which a DNAT rule
/// in the namespace points port 53 at. Each query is answered by <see cref="DnsListener.Answer"/>; the sockets close on
/// dispose, which must happen before the namespace is deleted (an open socket keeps it alive).
/// </summary>
internal sealed class DnsListener : IAsyncDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.11");
    public const int Port = 53;
    private const int MaxMessage = 65535;
    private static readonly TimeSpan TcpIdle = TimeSpan.FromSeconds(10);

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly Func<byte[], bool, CancellationToken, Task<byte[]?>> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _clients = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    private DnsListener(Socket udp, Socket tcp, Func<byte[], bool, CancellationToken, Task<byte[]?>> answer)
    {
        _udp = udp;
        _tcp = tcp;
        _answer = answer;
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    /// <summary>
    /// Binds inside the namespace at <paramref name="sandboxPath"/>. <paramref name="answer"/>
    /// gets a query and whether it came over TCP, and returns the reply (null: no reply).
    /// </summary>
    public static DnsListener Start(string sandboxPath, Func<byte[], bool, CancellationToken, Task<byte[]?>> answer, bool ephemeralPorts = false)
    {
        var port = ephemeralPorts ? 0 : Port;
        var (udp, tcp) = NetworkNamespace.Run(sandboxPath, () =>
        {
            var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var t = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                u.Bind(new IPEndPoint(Address, port));
                t.Bind(new IPEndPoint(Address, port));
                t.Listen(64);
                return (u, t);
            }
            catch
            {
                u.Dispose();
                t.Dispose();
                throw;
            }
        });
        return new DnsListener(udp, tcp, answer);
    }

    /// <summary>The UDP port the listener has (53, or the kernel's pick).</summary>
    public int UdpPort => ((IPEndPoint)_udp.LocalEndPoint!).Port;

    /// <summary>The TCP port the listener has (53, or the kernel's pick).</summary>
    public int TcpPort => ((IPEndPoint)_tcp.LocalEndPoint!).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Dispose();
        foreach (var client in _clients.Keys)
        {
            client.Dispose();
        }

        await Task.WhenAll(_udpLoop, _tcpLoop).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[MaxMessage];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var client = received.RemoteEndPoint;
            _ = Task.Run(async () =>
            {
                try
                {
                    if (await _answer(query, false, _stop.Token).ConfigureAwait(false) is { } reply)
                    {
                        await _udp.SendToAsync(reply, SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    // The listener closed or the client went away; nothing to tell anyone.
                }
            });
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => ServeTcpAsync(client));
        }
    }

    /// <summary>Length-prefixed messages (RFC 1035 §4.2.2) until the client closes or idles.</summary>
    private async Task ServeTcpAsync(Socket client)
    {
        _clients[client] = 0;
        try
        {
            var prefix = new byte[2];
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(TcpIdle);
                if (!await ReadExactlyAsync(client, prefix, idle.Token).ConfigureAwait(false))
                {
                    return;
                }

                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                if (!await ReadExactlyAsync(client, query, idle.Token).ConfigureAwait(false)
                    || await _answer(query, true, _stop.Token).ConfigureAwait(false) is not { } reply)
                {
                    return;
                }

                var framed = new byte[reply.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                reply.CopyTo(framed, 2);
                await client.SendAsync(framed, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Idle, closed by the client, or the listener stopped.
        }
        finally
        {
            _clients.TryRemove(client, out _);
            client.Dispose();
        }
    }

    internal static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[done..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            done += n;
        }

        return true;
    }
}
