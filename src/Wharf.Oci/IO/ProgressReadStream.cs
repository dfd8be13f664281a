namespace Wharf.Oci.IO;

/// <summary>
/// Counts the bytes read through it and reports the running total every <c>step</c> bytes
/// (for progress bars of pulls, pushes and loads). Reads are asynchronous only; disposing it
/// disposes the inner stream.
/// </summary>
public sealed class ProgressReadStream(Stream inner, long step, Func<long, ValueTask> report) : ReadOnlyStream
{
    private readonly long _step = step;
    private long _read;
    private long _nextReport = step;

    public override long Length => inner.Length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous reads are not supported");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _read += n;
        if (_read >= _nextReport)
        {
            _nextReport = _read + _step;
            await report(_read).ConfigureAwait(false);
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
