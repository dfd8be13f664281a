using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Wharf.Linux;
using Wharf.Networking.Dns;

namespace Wharf.Networking.Tests;

/// <summary>
/// The listener in a real network namespace of the test's own (root, as the engine's tests
/// run): it answers on 127.0.0.11:53 over UDP and TCP inside that namespace, and its sockets go
/// when it is disposed. The namespace is deleted at the end, also on failure.
/// </summary>
public sealed class DnsListenerTests
{
    [Fact]
    public async Task AnswersOverUdpAndTcpInsideItsNamespaceOnly()
    {
        var name = "wharf-dnstest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var path = "/run/netns/" + name;
        await RunAsync("ip", "netns", "add", name);
        try
        {
            await RunAsync("ip", "-n", name, "link", "set", "lo", "up");
            var listener = DnsListener.Start(path, (query, tcp, _) =>
                Task.FromResult<byte[]?>(DnsReply.Addresses(query, DnsQuestion.TryParse(query)!, [IPAddress.Parse(tcp ? "10.9.9.2" : "10.9.9.1")])));
            var query = Query("peer");
            var server = new IPEndPoint(DnsListener.Address, 53);
            try
            {
                var (udp, tcp) = NetworkNamespace.Run(path, () => (new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp), new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)));
                using (udp)
                using (tcp)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await udp.SendToAsync(query, SocketFlags.None, server, timeout.Token);
                    var buffer = new byte[512];
                    var n = await udp.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                    Assert.Equal(new byte[] { 10, 9, 9, 1 }, buffer[(n - 4)..n]);

                    await tcp.ConnectAsync(server, timeout.Token);
                    var framed = new byte[query.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
                    query.CopyTo(framed, 2);
                    await tcp.SendAsync(framed, SocketFlags.None, timeout.Token);
                    var prefix = new byte[2];
                    Assert.True(await DnsListener.ReadExactlyAsync(tcp, prefix, timeout.Token));
                    var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    Assert.True(await DnsListener.ReadExactlyAsync(tcp, reply, timeout.Token));
                    Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(reply));
                    Assert.Equal(new byte[] { 10, 9, 9, 2 }, reply[^4..]);
                }
            }
            finally
            {
                await listener.DisposeAsync();
            }

            // Closed: a new query in the namespace finds nobody on the port.
            using var after = NetworkNamespace.Run(path, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            await Assert.ThrowsAsync<SocketException>(async () => await after.ConnectAsync(server));
        }
        finally
        {
            await RunAsync("ip", "netns", "delete", name);
        }
    }

    private static byte[] Query(string name)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        bytes.AddRange(DnsReply.EncodeName(name));
        bytes.AddRange([0, 1, 0, 1]);
        return [.. bytes];
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {err}");
    }
}
