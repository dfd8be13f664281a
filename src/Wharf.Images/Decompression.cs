using System.IO.Compression;
using Wharf.Core.Errors;

namespace Wharf.Images;

/// <summary>Detects the compression of a layer or import stream by its magic bytes.</summary>
internal static class Decompression
{
    public static async Task<Stream> OpenAsync(Stream source, CancellationToken cancellationToken)
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

        Stream replay = new Wharf.Oci.IO.PrefixedStream(head.AsMemory(0, n), source);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return new GZipStream(replay, CompressionMode.Decompress);
        }

        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            throw WharfException.Invalid("zstd-compressed layers are not supported yet");
        }

        if (n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h')
        {
            throw WharfException.Invalid("bzip2-compressed archives are not supported");
        }

        if (n >= 6 && head[0] == 0xfd && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X' && head[4] == (byte)'Z' && head[5] == 0)
        {
            throw WharfException.Invalid("xz-compressed archives are not supported");
        }

        return replay;
    }
}
