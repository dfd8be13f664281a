using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Shim.Tests;

/// <summary>A client of the shim's attach.sock (see src/wharf-shim/README.md).</summary>
internal sealed class AttachClient : IDisposable
{
    private readonly Socket _socket;

    private AttachClient(Socket socket) => _socket = socket;

    /// <summary>Connects, sends the header line and waits for the shim's "ok".</summary>
    public static async Task<AttachClient> ConnectAsync(string path, string header)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        var client = new AttachClient(socket);
        await client.SendAsync(header + "\n");
        var reply = await client.ReadLineAsync();
        Assert.Equal("ok", reply);
        return client;
    }

    /// <summary>A one-shot request (e.g. "resize 40 100"); returns the shim's reply line.</summary>
    public static async Task<string> RequestAsync(string path, string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var client = new AttachClient(socket);
        await client.SendAsync(line + "\n");
        return await client.ReadLineAsync();
    }

    public async Task SendAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    public void ShutdownWrite() => _socket.Shutdown(SocketShutdown.Send);

    private async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var sb = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var n = await _socket.ReceiveAsync(one, SocketFlags.None, cts.Token);
            if (n == 0 || one[0] == '\n')
            {
                return sb.ToString();
            }

            sb.Append((char)one[0]);
        }
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = await _socket.ReceiveAsync(buffer[got..], SocketFlags.None, ct);
            if (n == 0)
            {
                if (got == 0)
                {
                    return false;
                }

                throw new EndOfStreamException("attach stream ended inside a frame");
            }

            got += n;
        }

        return true;
    }

    /// <summary>Next multiplexed frame, or null at the end of the stream.</summary>
    public async Task<(int Stream, byte[] Payload)?> ReadFrameAsync(CancellationToken ct)
    {
        var header = new byte[8];
        if (!await ReadExactlyAsync(header, ct))
        {
            return null;
        }

        Assert.Equal(0, header[1] | header[2] | header[3]);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        var payload = new byte[length];
        if (length > 0 && !await ReadExactlyAsync(payload, ct))
        {
            throw new EndOfStreamException("attach stream ended inside a frame");
        }

        return (header[0], payload);
    }

    /// <summary>Next chunk of a raw (tty) stream; empty at the end of the stream.</summary>
    public async Task<byte[]> ReadRawAsync(CancellationToken ct)
    {
        var buffer = new byte[65536];
        var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, ct);
        return buffer[..n];
    }

    public void Dispose() => _socket.Dispose();
}
