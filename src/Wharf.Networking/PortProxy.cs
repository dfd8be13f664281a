using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Wharf.Networking;

/// <summary>
/// One published port, served in the daemon (Docker's docker-proxy does the same job): a TCP
/// listener whose connections are spliced to the container's address, or a UDP socket whose
/// datagrams are relayed per client. Serving from the daemon makes the port answer on every
/// host address, 127.0.0.1 included, without DNAT rules or <c>route_localnet</c>.
/// </summary>
internal sealed class PortProxy : IAsyncDisposable
{
    private static readonly TimeSpan UdpIdle = TimeSpan.FromSeconds(60);
    private readonly Socket _socket;
    private readonly IPEndPoint _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _accepting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortProxy(Socket socket, IPEndPoint backend, bool udp)
    {
        _socket = socket;
        _backend = backend;
        if (udp)
        {
            _loop = Task.Run(UdpLoopAsync);
        }
        else
        {
            _loop = _accepting.Task;
            ProxyWorkers.Run(AcceptLoop);
        }
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Binds the host side; null when the port is taken.</summary>
    public static PortProxy? TryStart(string protocol, IPAddress hostIp, int hostPort, IPEndPoint backend)
    {
        var udp = protocol == "udp";
        var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            // No ReuseAddress: on Linux .NET maps it to SO_REUSEPORT too, and a second container
            // could then bind a port that is already published.
            socket.Bind(new IPEndPoint(hostIp, hostPort));
            if (!udp)
            {
                socket.Listen(512);
            }

            return new PortProxy(socket, backend, udp);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Accepts on a proxy worker with a blocking call; each connection goes to a worker of its
    /// own (<see cref="ProxyWorkers"/>). Disposing the listening socket ends the call.
    /// </summary>
    private void AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = _socket.Accept();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                _open[client] = 0;
                _open[backend] = 0;
                if (_stop.IsCancellationRequested)
                {
                    Close(client, backend);
                    return;
                }

                ProxyWorkers.Run(() => Splice(client, backend));
            }
        }
        finally
        {
            _accepting.TrySetResult();
        }
    }

    private void Splice(Socket client, Socket backend)
    {
        try
        {
            client.NoDelay = true;
            backend.NoDelay = true;
            backend.Connect(_backend);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close(client, backend);
            return;
        }

        // The last direction to end closes both sockets.
        var directions = new StrongBox<int>(2);
        ProxyWorkers.Run(() => Pump(backend, client, directions, client, backend));
        Pump(client, backend, directions, client, backend);
    }

    /// <summary>Copies one direction and passes the end of stream on as a half close.</summary>
    private void Pump(Socket from, Socket to, StrongBox<int> directions, Socket client, Socket backend)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var n = from.Receive(buffer, SocketFlags.None);
                if (n == 0)
                {
                    break;
                }

                for (var sent = 0; sent < n;)
                {
                    sent += to.Send(buffer, sent, n - sent, SocketFlags.None);
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A reset or a stop: the other direction must end too.
            try
            {
                from.Shutdown(SocketShutdown.Both);
                to.Shutdown(SocketShutdown.Both);
            }
            catch (Exception inner) when (inner is SocketException or ObjectDisposedException)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            if (Interlocked.Decrement(ref directions.Value) == 0)
            {
                Close(client, backend);
            }
        }
    }

    private void Close(Socket client, Socket backend)
    {
        _open.TryRemove(client, out _);
        _open.TryRemove(backend, out _);
        client.Dispose();
        backend.Dispose();
    }

    private async Task UdpLoopAsync()
    {
        var flows = new ConcurrentDictionary<EndPoint, (Socket Socket, DateTime Last)>();
        var buffer = new byte[64 * 1024];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            var client = r.RemoteEndPoint;
            if (!flows.TryGetValue(client, out var flow))
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Connect(_backend);
                _open[s] = 0;
                flow = (s, DateTime.UtcNow);
                flows[client] = flow;
                _ = Task.Run(() => UdpReplyLoopAsync(s, client, flows));
            }

            flows[client] = (flow.Socket, DateTime.UtcNow);
            try
            {
                await flow.Socket.SendAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }

        foreach (var f in flows.Values)
        {
            f.Socket.Dispose();
        }
    }

    private async Task UdpReplyLoopAsync(Socket backend, EndPoint client, ConcurrentDictionary<EndPoint, (Socket Socket, DateTime Last)> flows)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(UdpIdle);
                var n = await backend.ReceiveAsync(buffer, SocketFlags.None, idle.Token).ConfigureAwait(false);
                await _socket.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            flows.TryRemove(client, out _);
            _open.TryRemove(backend, out _);
            backend.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var s in _open.Keys)
        {
            s.Dispose();
        }

        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
