using System.Buffers.Binary;
using System.Text;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>Reads the attach stream: Docker's multiplexed frames without a tty, raw bytes with one.</summary>
internal static class StreamReading
{
    /// <summary>All frames until the shim closes the connection, per stream (1 stdout, 2 stderr).</summary>
    public static async Task<Dictionary<int, string>> ReadFramesToEndAsync(Stream stream, CancellationToken ct)
    {
        var result = new Dictionary<int, StringBuilder>();
        var header = new byte[8];
        while (await ReadExactlyOrEndAsync(stream, header, ct))
        {
            Assert.Equal(0, header[1] | header[2] | header[3]);
            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))];
            Assert.True(await ReadExactlyOrEndAsync(stream, payload, ct) || payload.Length == 0, "stream ended inside a frame");
            if (!result.TryGetValue(header[0], out var sb))
            {
                result[header[0]] = sb = new StringBuilder();
            }
            sb.Append(Encoding.UTF8.GetString(payload));
        }
        return result.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var got = 0;
        while (got < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(got), ct);
            if (n == 0)
            {
                return got == 0 ? false : throw new EndOfStreamException("attach stream ended inside a frame");
            }
            got += n;
        }
        return true;
    }
}
