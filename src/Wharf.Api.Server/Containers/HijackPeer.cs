namespace Wharf.Api.Server.Containers;

/// <summary>
/// A hijacked connection (see <see cref="Hijack"/>). Its input never reports EOF after a client
/// half-close (the <see cref="HalfCloseGuard"/> keeps the connection writable); the guard's
/// half-close task does, and a read racing it returns 0.
/// </summary>
internal sealed class HijackPeer(Stream output, Stream? input, Task halfClosed) : AttachPeer
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (input is null || halfClosed.IsCompleted)
        {
            return 0;
        }

        var read = input.ReadAsync(buffer, cancellationToken).AsTask();
        if (await Task.WhenAny(read, halfClosed).ConfigureAwait(false) == read)
        {
            return await read.ConfigureAwait(false);
        }

        // The guard completes the half-close only after the last bytes were read, so the pending
        // read holds no data; it ends with the connection.
        return 0;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await output.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
