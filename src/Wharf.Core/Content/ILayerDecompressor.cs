namespace Wharf.Core.Content;

/// <summary>
/// Opens the uncompressed view of a layer or an archive (pull, load, import). The compression
/// is recognised by its magic bytes, as dockerd does, whatever a media type claims: gzip, zstd
/// (when the host can decompress it), or none (a plain tar is passed through).
/// </summary>
public interface ILayerDecompressor
{
    /// <summary>
    /// Reads the first bytes of <paramref name="source"/> to recognise the compression and returns
    /// a stream of the uncompressed bytes. The caller still owns <paramref name="source"/> and
    /// disposes it after the returned stream.
    /// Fails with InvalidArgument for a compression this host cannot undo. A stream that turns
    /// out to be corrupt fails later, on read, with <see cref="InvalidDataException"/>.
    /// </summary>
    Task<Stream> OpenAsync(Stream source, CancellationToken cancellationToken);
}
