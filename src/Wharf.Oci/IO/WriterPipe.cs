using System.IO.Pipelines;

namespace Wharf.Oci.IO;

/// <summary>
/// Turns "a function that writes a stream" into "a stream to read": the writer runs apart from
/// the caller into a pipe, and the pipe completes with the writer's error if it fails, so the
/// reader sees the failure instead of a short stream.
/// </summary>
public static class WriterPipe
{
    /// <summary>
    /// Starts <paramref name="write"/>. Read from <c>Pipe.Reader</c>; complete the reader when
    /// done so that a writer still running stops, then await <c>Producer</c> for its outcome.
    /// </summary>
    public static (Pipe Pipe, Task Producer) Start(Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        return (pipe, ProduceAsync(pipe.Writer, write, cancellationToken));
    }

    private static async Task ProduceAsync(PipeWriter writer, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        // Yield first: the caller must get to its reading before the writer fills the pipe.
        await Task.Yield();
        var stream = writer.AsStream(leaveOpen: true);
        try
        {
            await write(stream, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            throw;
        }
    }
}
