namespace Wharf.Registry.Storage.S3;

/// <summary>
/// A blob read from S3: seekable until the first read (a ranged GET then starts at the
/// position), then forward-only. Only asynchronous reads: the request path never blocks a thread.
/// </summary>
internal sealed class S3ReadStream : Stream
{
    private readonly S3Client _client;
    private readonly string _key;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;

    public S3ReadStream(S3Client client, string key, long length)
    {
        _client = client;
        _key = key;
        Length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => _body is null;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (_body is not null)
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
        if (_body is null)
        {
            _response = await _client.GetStreamAsync(_key, _position, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException("blob vanished from S3: " + _key);
            _body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        var n = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _response?.Dispose();
        }
        base.Dispose(disposing);
    }
}
