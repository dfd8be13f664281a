using System.IO.Compression;
using Wharf.Core.Content;
using Wharf.Core.Errors;

namespace Wharf.Images;

/// <summary>
/// Recognises gzip, zstd, bzip2 and xz by their magic bytes. gzip is undone in process; zstd
/// through <c>zstd</c>, the host's decompressor the composition root hands in (null when the
/// host has none); bzip2 and xz are refused, as layers never use them.
/// </summary>
public sealed class LayerDecompressor(Func<Stream, Stream>? zstd) : ILayerDecompressor
{
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;

    private static ReadOnlySpan<byte> XzMagic => [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0];

    /// <summary>Whether zstd streams can be opened on this host.</summary>
    public bool SupportsZstd => zstd is not null;

    public async Task<Stream> OpenAsync(Stream source, CancellationToken cancellationToken)
    {
        var head = new byte[6];
        var n = await source.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var seen = head.AsSpan(0, n);
        Stream replay = new Wharf.Oci.IO.PrefixedStream(head.AsMemory(0, n), source);
        if (seen.StartsWith(GzipMagic))
        {
            return new GZipStream(replay, CompressionMode.Decompress);
        }

        if (seen.StartsWith(ZstdMagic))
        {
            return zstd is not null
                ? zstd(replay)
                : throw WharfException.Invalid("zstd-compressed data cannot be decompressed on this host: libzstd.so.1 is missing (Debian package libzstd1)");
        }

        if (seen.StartsWith(Bzip2Magic))
        {
            throw WharfException.Invalid("bzip2-compressed archives are not supported");
        }

        if (seen.StartsWith(XzMagic))
        {
            throw WharfException.Invalid("xz-compressed archives are not supported");
        }

        return replay;
    }
}
