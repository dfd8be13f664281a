using System.Globalization;
using System.Text;

namespace Wharf.Client;

/// <summary>
/// One HTTP/1.1 connection read through a buffer: first the status line and headers
/// (<see cref="ReadLineAsync"/>), then the body framed by <see cref="SetFraming"/> — a length,
/// <see cref="Chunked"/>, or <see cref="UntilClose"/>. Disposing closes the connection.
/// </summary>
internal sealed class HttpBodyStream(Stream inner) : Stream
{
    public const long Chunked = -2;
    public const long UntilClose = -1;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _pos;
    private int _len;
    private long _framing = UntilClose;
    private long _remaining;
    private bool _done;

    /// <summary>Sets how the body ends; call once, after the headers were read.</summary>
    public void SetFraming(long framing)
    {
        _framing = framing;
        _remaining = framing >= 0 ? framing : 0;
        _done = framing == 0;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_pos > 0 && _pos == _len)
        {
            _pos = _len = 0;
        }
        if (_len == _buffer.Length)
        {
            // Compact to make room (only lines need this).
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
        }
        int n = await inner.ReadAsync(_buffer.AsMemory(_len), cancellationToken).ConfigureAwait(false);
        _len += n;
        return n > 0;
    }

    /// <summary>A CRLF-terminated line without its terminator, or null at end of stream.</summary>
    public async ValueTask<string?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            int i = Array.IndexOf(_buffer, (byte)'\n', _pos, _len - _pos);
            if (i >= 0)
            {
                line.AddRange(_buffer.AsSpan(_pos, i - _pos));
                _pos = i + 1;
                if (line.Count > 0 && line[^1] == '\r')
                {
                    line.RemoveAt(line.Count - 1);
                }
                return Encoding.Latin1.GetString(line.ToArray());
            }
            line.AddRange(_buffer.AsSpan(_pos, _len - _pos));
            _pos = _len;
            if (line.Count > maxLength)
            {
                throw new IOException("line too long in the daemon's response");
            }
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Count == 0 ? null : throw new IOException("the daemon closed the connection mid-line");
            }
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.Length == 0)
        {
            return 0;
        }
        if (_framing == Chunked && _remaining == 0)
        {
            string size = await ReadLineAsync(1024, cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the daemon closed the connection in a chunked body");
            int semi = size.IndexOf(';', StringComparison.Ordinal);
            if (!long.TryParse(semi >= 0 ? size[..semi] : size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _remaining) || _remaining < 0)
            {
                throw new IOException("bad chunk size in the daemon's response: " + size);
            }
            if (_remaining == 0)
            {
                // Trailers, then the blank line.
                while (!string.IsNullOrEmpty(await ReadLineAsync(64 * 1024, cancellationToken).ConfigureAwait(false)))
                {
                }
                _done = true;
                return 0;
            }
        }
        if (_pos == _len && !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_framing == UntilClose)
            {
                _done = true;
                return 0;
            }
            throw new IOException("the daemon closed the connection before the end of the response body");
        }
        int n = Math.Min(buffer.Length, _len - _pos);
        if (_framing != UntilClose)
        {
            n = (int)Math.Min(n, _remaining);
        }
        _buffer.AsMemory(_pos, n).CopyTo(buffer);
        _pos += n;
        if (_framing != UntilClose)
        {
            _remaining -= n;
            if (_remaining == 0)
            {
                if (_framing == Chunked)
                {
                    // The CRLF after each chunk's data.
                    _ = await ReadLineAsync(2, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    _done = true;
                }
            }
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
