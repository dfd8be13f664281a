using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Wharf.Integration.Tests;

/// <summary>
/// A resolver on a random loopback address (127.x.y.z:53, UDP) that answers one A record and
/// counts the queries it gets: the upstream of the embedded DNS server in tests, so that
/// forwarding is checked without any traffic leaving the machine.
/// </summary>
internal sealed class FakeUpstreamDns : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _name;
    private readonly IPAddress _answer;
    private int _queries;

    private FakeUpstreamDns(UdpClient udp, IPAddress address, string name, IPAddress answer)
    {
        _udp = udp;
        Address = address;
        _name = name;
        _answer = answer;
        _loop = Task.Run(LoopAsync);
    }

    public IPAddress Address { get; }

    public int Queries => Volatile.Read(ref _queries);

    public static FakeUpstreamDns Start(string name, IPAddress answer)
    {
        var b = RandomNumberGenerator.GetBytes(3);
        var address = new IPAddress([127, (byte)(100 + (b[0] % 100)), b[1], (byte)(2 + (b[2] % 250))]);
        return new FakeUpstreamDns(new UdpClient(new IPEndPoint(address, 53)), address, name, answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveAsync(_stop.Token);
            Interlocked.Increment(ref _queries);
            var query = received.Buffer;
            var (name, end) = QuestionOf(query);
            var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(end - 4));
            var known = name == _name;
            var withAnswer = known && type == 1;
            var reply = new byte[end + (withAnswer ? 16 : 0)];
            query.AsSpan(0, end).CopyTo(reply);
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)(0x8180 | (known ? 0 : 3)));
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)(withAnswer ? 1 : 0));
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), 0);
            if (withAnswer)
            {
                var rr = reply.AsSpan(end);
                BinaryPrimitives.WriteUInt16BigEndian(rr, 0xC00C);
                BinaryPrimitives.WriteUInt16BigEndian(rr[2..], 1);
                BinaryPrimitives.WriteUInt16BigEndian(rr[4..], 1);
                BinaryPrimitives.WriteUInt32BigEndian(rr[6..], 60);
                BinaryPrimitives.WriteUInt16BigEndian(rr[10..], 4);
                _answer.GetAddressBytes().CopyTo(rr[12..]);
            }

            await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
        }
    }

    private static (string Name, int End) QuestionOf(byte[] query)
    {
        var labels = new List<string>();
        var pos = 12;
        while (query[pos] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, pos + 1, query[pos]).ToLowerInvariant());
            pos += query[pos] + 1;
        }

        return (string.Join('.', labels), pos + 5);
    }
}
