using System.Formats.Tar;

namespace Wharf.Images;

/// <summary>
/// Rewrites a layer tar as it streams by, clamping every entry's modification time to a fixed
/// time (SOURCE_DATE_EPOCH's rule): builds use it so that the same inputs give the same layer
/// digest, whenever they run.
/// </summary>
internal static class LayerTimes
{
    private const long InMemory = 1 << 20;

    public static async Task ClampAsync(Func<Stream, CancellationToken, Task> writeLayer, DateTimeOffset limit, Stream output, CancellationToken cancellationToken)
    {
        var (pipe, producer) = Wharf.Oci.IO.WriterPipe.Start(writeLayer, cancellationToken);

        var wrote = false;
        var input = pipe.Reader.AsStream();
        try
        {
            var reader = new TarReader(input, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                var writer = new TarWriter(output, leaveOpen: true);
                await using (writer.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (entry.ModificationTime > limit)
                        {
                            entry.ModificationTime = limit;
                        }

                        if (entry.DataStream is { } data)
                        {
                            // The tar writer needs a seekable data stream when the archive is not seekable.
                            var copy = entry.Length <= InMemory
                                ? new MemoryStream((int)entry.Length)
                                : (Stream)new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
                            await using (copy.ConfigureAwait(false))
                            {
                                await data.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                                copy.Position = 0;
                                entry.DataStream = copy;
                                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                            }
                        }
                        else
                        {
                            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                        }

                        wrote = true;
                    }
                }
            }

            if (!wrote)
            {
                // An empty layer stays the two zero blocks commit recognises.
                await output.WriteAsync(new byte[1024], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            await input.DisposeAsync().ConfigureAwait(false);
        }

        await producer.ConfigureAwait(false);
    }
}
