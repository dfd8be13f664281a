using System.Globalization;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// A blob read from S3: seekable until the first read (a ranged GET then starts at the
/// position), then forward-only. Only asynchronous reads: the request path never blocks a thread.
/// An answer that breaks off midway (a reset, a body shorter than announced, a stall) is picked up again
/// with a ranged GET from where it broke, as often in a row without a byte in between as the
/// client's retry policy allows; a blob never changes under its key, so the pieces belong together.
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly S3Client _client;
    private readonly string _key;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private bool _started;
    private long _position;

    public S3ReadStream(S3Client client, string key, long length)
    {
        _client = client;
        _key = key;
        Length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => !_started;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (_started)
        {
            throw new NotSupportedException("an S3 blob stream seeks only before the first read");
        }
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.Length == 0)
        {
            return 0;
        }
        _started = true;
        // Attempts since the last byte arrived: the open GET's (with its own retries), then each GET picking up from here.
        var attempt = 1;
        while (true)
        {
            if (_body is null)
            {
                _response = await _client.GetStreamAsync(_key, _position, attempt - 1, cancellationToken).ConfigureAwait(false)
                    ?? throw new FileNotFoundException("blob vanished from S3: " + _key);
                attempt = S3Client.AttemptOf(_response);
                _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            try
            {
                int n;
                // An answer that stalls is given up on like one that broke.
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    idle.CancelAfter(_client.Retry.AttemptTimeout);
                    n = await _body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                if (n == 0)
                {
                    throw new IOException($"S3 answer for {_key} ended at byte {_position} of {Length}");
                }
                _position += n;
                return n;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _client.Retry.MaxAttempts)
                {
                    if (e is OperationCanceledException)
                    {
                        throw new S3Exception(string.Create(CultureInfo.InvariantCulture,
                            $"S3 GET {_key}: no bytes for {_client.Retry.AttemptTimeout.TotalSeconds} s at byte {_position} ({attempt} attempts)"), e);
                    }
                    throw;
                }
                CloseBody();
                await _client.BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                attempt++;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("S3 blob streams are read asynchronously");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void CloseBody()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }
        base.Dispose(disposing);
    }
}
