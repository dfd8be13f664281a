using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Wharf.Networking.Tests;

/// <summary>The TCP side of <see cref="PortProxy"/> against a backend on loopback.</summary>
public sealed class PortProxyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A backend that reads until end of stream, then answers with what it read upper-cased and closes.</summary>
    private static async Task ServeUpperAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await listener.AcceptSocketAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (s)
                {
                    var got = new MemoryStream();
                    var buf = new byte[4096];
                    int n;
                    while ((n = await s.ReceiveAsync(buf, SocketFlags.None)) > 0)
                    {
                        got.Write(buf, 0, n);
                    }

                    await s.SendAsync(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(got.ToArray()).ToUpperInvariant()), SocketFlags.None);
                    s.Shutdown(SocketShutdown.Send);
                }
            }, ct);
        }
    }

    private static async Task<string> AskAsync(int port, string text)
    {
        using var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(IPAddress.Loopback, port);
        await c.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);
        c.Shutdown(SocketShutdown.Send);
        var got = new MemoryStream();
        var buf = new byte[4096];
        int n;
        using var timeout = new CancellationTokenSource(Patience);
        while ((n = await c.ReceiveAsync(buf, SocketFlags.None, timeout.Token)) > 0)
        {
            got.Write(buf, 0, n);
        }

        return Encoding.ASCII.GetString(got.ToArray());
    }

    [Fact]
    public async Task Connections_are_spliced_with_half_close_on_reused_workers_and_end_with_the_proxy()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource();
        var serve = ServeUpperAsync(listener, cts.Token);
        var backend = (IPEndPoint)listener.LocalEndpoint;
        var proxy = PortProxy.TryStart("tcp", IPAddress.Loopback, 0, backend);
        Assert.NotNull(proxy);
        var disposed = false;
        try
        {
            // The end of the client's stream reaches the backend (half close), and its answer
            // comes back whole, 64 KiB buffers and all.
            var big = new string('x', 300_000) + "end";
            Assert.Equal(big.ToUpperInvariant(), await AskAsync(proxy.Port, big));

            // Many short connections one after another: workers are reused, not one per connection.
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal($"HELLO {i}", await AskAsync(proxy.Port, $"hello {i}"));
            }

            Assert.InRange(ProxyWorkers.Threads, 1, 20);

            var port = proxy.Port;

            // A connection still open when the proxy stops is closed, and the port stops listening.
            using var open = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await open.ConnectAsync(IPAddress.Loopback, proxy.Port);
            await open.SendAsync(Encoding.ASCII.GetBytes("pending"), SocketFlags.None);
            await Task.Delay(100);
            await proxy.DisposeAsync().AsTask().WaitAsync(Patience);
            disposed = true;
            using (var timeout = new CancellationTokenSource(Patience))
            {
                try
                {
                    Assert.Equal(0, await open.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token));
                }
                catch (SocketException)
                {
                    // A reset is an end too.
                }
            }

            using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAsync<SocketException>(async () => await late.ConnectAsync(IPAddress.Loopback, port));
        }
        finally
        {
            if (!disposed)
            {
                await proxy.DisposeAsync();
            }

            await cts.CancelAsync();
            listener.Stop();
            await serve;
        }
    }

    [Fact]
    public async Task A_backend_that_refuses_closes_the_client()
    {
        // A port that was free a moment ago: nothing listens there.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var dead = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();
        var proxy = PortProxy.TryStart("tcp", IPAddress.Loopback, 0, dead);
        Assert.NotNull(proxy);
        await using (proxy)
        {
            try
            {
                Assert.Equal(string.Empty, await AskAsync(proxy.Port, "anyone?"));
            }
            catch (SocketException)
            {
                // A reset: closed as well.
            }
        }
    }
}
