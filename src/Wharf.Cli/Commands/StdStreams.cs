using System.Buffers.Binary;

namespace Wharf.Cli.Commands;

/// <summary>Docker's stdcopy: demultiplexes 8-byte-header frames (stream, 0,0,0, big-endian size) to stdout and stderr.</summary>
internal static class StdStreams
{
    public static async Task DemuxAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var buffer = new byte[32 * 1024];
        while (true)
        {
            if (!await ReadFullAsync(source, header, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var target = header[0] == 2 ? stderr : stdout;
            while (size > 0)
            {
                int n = await source.ReadAsync(buffer.AsMemory(0, Math.Min(size, buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }
                await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                size -= n;
            }
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies raw (tty) output, flushing after every read so interactive output appears at once.</summary>
    public static async Task CopyRawAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ReadFullAsync(Stream s, byte[] buf, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buf.Length)
        {
            int n = await s.ReadAsync(buf.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }
}
