namespace Wharf.Images;

/// <summary>Counts bytes read and reports them at most every <c>step</c> bytes.</summary>
internal sealed class ProgressReadStream(Stream inner, long step, Func<long, ValueTask> report) : Stream
{
    private long _read;
    private readonly long _step = step;
    private long _nextReport = step;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous read");

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

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
