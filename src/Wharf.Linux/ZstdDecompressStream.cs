using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Wharf.Linux;

/// <summary>
/// A read-only stream of what a zstd-compressed <c>source</c> decompresses to, through the host's
/// libzstd. Concatenated frames and skippable frames are read as one stream, as the zstd tool
/// does; data that ends inside a frame or is not zstd fails with <see cref="InvalidDataException"/>.
/// Reading the source is asynchronous on <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>;
/// the decompression itself is CPU work on the caller's thread.
/// </summary>
public sealed class ZstdDecompressStream : Stream
{
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly DStreamHandle _handle;
    private byte[]? _input;
    private int _inPos;
    private int _inLen;
    private bool _sourceEnded;

    // True between the start of a frame and the point where it is fully decoded and flushed.
    private bool _inFrame;

    public ZstdDecompressStream(Stream source, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!Zstd.IsAvailable)
        {
            throw new PlatformNotSupportedException("zstd decompression needs the host's libzstd.so.1 (Debian package libzstd1)");
        }

        _source = source;
        _leaveOpen = leaveOpen;
        _handle = new DStreamHandle(LibZstd.CreateDStream());
        if (_handle.IsInvalid)
        {
            throw new OutOfMemoryException("ZSTD_createDStream failed");
        }

        Check(LibZstd.InitDStream(_handle.DangerousGetHandle()));
        _input = ArrayPool<byte>.Shared.Rent((int)Math.Min(1 << 20, (ulong)LibZstd.DStreamInSize()));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_inPos == _inLen && !_sourceEnded)
            {
                Filled(_source.Read(_input, 0, _input.Length));
            }

            var n = Step(buffer);
            if (n > 0 || Ended())
            {
                return n;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_inPos == _inLen && !_sourceEnded)
            {
                Filled(await _source.ReadAsync(_input.AsMemory(), cancellationToken).ConfigureAwait(false));
            }

            var n = Step(buffer.Span);
            if (n > 0 || Ended())
            {
                return n;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _input is not null)
        {
            _handle.Dispose();
            ArrayPool<byte>.Shared.Return(_input);
            _input = null;
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_input is not null)
        {
            _handle.Dispose();
            ArrayPool<byte>.Shared.Return(_input);
            _input = null;
            if (!_leaveOpen)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Filled(int n)
    {
        _inPos = 0;
        _inLen = n;
        _sourceEnded = n == 0;
    }

    /// <summary>True once every input byte is consumed and nothing more can come; fails inside a frame.</summary>
    private bool Ended()
    {
        if (!_sourceEnded || _inPos < _inLen)
        {
            return false;
        }

        return _inFrame ? throw new InvalidDataException("zstd: unexpected end of compressed data") : true;
    }

    /// <summary>One call into libzstd: consumes buffered input, writes what it can into <paramref name="output"/>.</summary>
    private unsafe int Step(Span<byte> output)
    {
        fixed (byte* pIn = _input)
        fixed (byte* pOut = output)
        {
            var inBuf = new LibZstd.InBuffer { Src = pIn, Size = (nuint)_inLen, Pos = (nuint)_inPos };
            var outBuf = new LibZstd.OutBuffer { Dst = pOut, Size = (nuint)output.Length, Pos = 0 };
            var hadInput = _inPos < _inLen;
            var ret = LibZstd.DecompressStream(_handle.DangerousGetHandle(), &outBuf, &inBuf);
            Check(ret);
            _inPos = (int)inBuf.Pos;

            // 0 means a frame ended and is fully flushed; anything else means more of it is due
            // (a call with no input and nothing left to flush also answers non-zero only mid-frame).
            if (ret != 0)
            {
                _inFrame = _inFrame || hadInput || outBuf.Pos > 0;
            }
            else
            {
                _inFrame = false;
            }

            return (int)outBuf.Pos;
        }
    }

    private static void Check(nuint code)
    {
        if (LibZstd.IsError(code) != 0)
        {
            throw new InvalidDataException("zstd: " + LibZstd.ErrorName(code));
        }
    }

    private sealed class DStreamHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public DStreamHandle(nint handle)
            : base(ownsHandle: true)
        {
            SetHandle(handle);
        }

        protected override bool ReleaseHandle()
        {
            LibZstd.FreeDStream(handle);
            return true;
        }
    }
}
