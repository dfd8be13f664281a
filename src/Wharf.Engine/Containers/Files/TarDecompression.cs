using System.Diagnostics;
using System.IO.Compression;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Files;

/// <summary>
/// Recognises the compressions Docker accepts for archive uploads by their magic bytes: gzip
/// in process, bzip2, xz and zstd through the host's decompressors (as Docker runs xz).
/// </summary>
internal static class TarDecompression
{
    /// <returns>The uncompressed stream, or null for an empty body (an empty archive, which Docker accepts).</returns>
    public static async Task<Stream?> OpenAsync(Stream source, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        var n = 0;
        while (n < head.Length)
        {
            var r = await source.ReadAsync(head.AsMemory(n), cancellationToken).ConfigureAwait(false);
            if (r == 0)
            {
                break;
            }

            n += r;
        }

        if (n == 0)
        {
            return null;
        }

        var replay = new Wharf.Oci.IO.PrefixedStream(head.AsMemory(0, n), source);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return new GZipStream(replay, CompressionMode.Decompress);
        }

        if (n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h')
        {
            return ExternalDecompressor.Start("bzip2", replay);
        }

        if (n >= 6 && head[0] == 0xfd && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X' && head[4] == (byte)'Z' && head[5] == 0)
        {
            return ExternalDecompressor.Start("xz", replay);
        }

        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return ExternalDecompressor.Start("zstd", replay);
        }

        return replay;
    }
}
