using System.Buffers;

namespace Wharf.Registry.Http;

internal static class StreamCopy
{
    /// <summary>Copies exactly <paramref name="count"/> bytes (fewer only if the source ends early).</summary>
    public static async Task CopyAsync(Stream source, Stream destination, long count, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            while (count > 0)
            {
                var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
