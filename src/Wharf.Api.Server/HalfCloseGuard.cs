using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Wharf.Api.Server;

/// <summary>
/// Lets a hijacked (upgraded) connection stay writable after the client half-closes it. Docker
/// clients without stdin shut down their write side right after the upgrade and keep reading
/// output; Kestrel would take that FIN as the end of the connection. Until a request marks the
/// connection upgraded, input completion passes through unchanged, so idle keep-alive
/// connections still close normally.
/// </summary>
public sealed class HalfCloseGuard : IDuplexPipe
{
    private readonly GuardedReader _reader;
    private readonly GuardedWriter _writer;
    private readonly TaskCompletionSource _halfClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal HalfCloseGuard(IDuplexPipe inner)
    {
        _reader = new GuardedReader(inner.Input, this);
        _writer = new GuardedWriter(inner.Output, this);
    }

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    /// <summary>Completes when the client has shut down its side of an upgraded connection.</summary>
    public Task HalfClosed => _halfClosed.Task;

    internal bool Upgraded { get; private set; }

    /// <summary>Called after the upgrade: from now on a client FIN is a half-close, not the end.</summary>
    public void MarkUpgraded() => Upgraded = true;

    /// <summary>
    /// Connection middleware for Kestrel listeners. Kestrel ends a connection when the transport
    /// reports it closed (which it does on a client FIN); the wrapper context reports that only
    /// once an upgraded connection's output is done.
    /// </summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async context =>
    {
        var guard = new HalfCloseGuard(context.Transport);
        context.Features.Set(guard);
        await using var wrapped = new GuardedConnectionContext(context, guard);
        await next(wrapped).ConfigureAwait(false);
    };

    private sealed class GuardedConnectionContext : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly CancellationTokenSource _closed = new();
        private readonly CancellationTokenRegistration _registration;

        public GuardedConnectionContext(ConnectionContext inner, HalfCloseGuard guard)
        {
            _inner = inner;
            Transport = guard;
            _registration = inner.ConnectionClosed.Register(() =>
            {
                if (!guard.Upgraded)
                {
                    _closed.Cancel();
                    return;
                }

                // Upgraded: the client only half-closed; the connection ends with our output.
                _ = guard._outputDone.Task.ContinueWith(_ => _closed.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            });
        }

        public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => _inner.Features;

        public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }

        public override IDuplexPipe Transport { get; set; }

        public override CancellationToken ConnectionClosed { get => _closed.Token; set => throw new NotSupportedException(); }

        public override global::System.Net.EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }

        public override global::System.Net.EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

        public override void Abort() => _inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
            _closed.Dispose();
        }
    }

    private sealed class GuardedReader(PipeReader inner, HalfCloseGuard owner) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!result.IsCompleted || !owner.Upgraded)
            {
                return result;
            }

            if (!result.Buffer.IsEmpty)
            {
                // Deliver the last bytes first; the next read sees the half-close.
                return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
            }

            owner._halfClosed.TrySetResult();
            using (cancellationToken.Register(() => owner._outputDone.TrySetResult()))
            {
                await owner._outputDone.Task.ConfigureAwait(false);
            }

            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            if (result.IsCompleted && owner.Upgraded)
            {
                if (result.Buffer.IsEmpty)
                {
                    // Let the caller fall back to ReadAsync, which waits.
                    inner.AdvanceTo(result.Buffer.Start);
                    return false;
                }

                result = new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
            }

            return true;
        }
    }

    private sealed class GuardedWriter(PipeWriter inner, HalfCloseGuard owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            inner.Complete(exception);
            owner._outputDone.TrySetResult();
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            await inner.CompleteAsync(exception).ConfigureAwait(false);
            owner._outputDone.TrySetResult();
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
