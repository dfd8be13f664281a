using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using Wharf.Api.Streams;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// Relays one attach session between a client (<see cref="AttachPeer"/>) and the container's
/// stdio stream from the runtime, with dockerd's rules (daemon/internal/stream/attach.go):
/// output flows until the container's stream ends; the client's stdin is copied to the container,
/// watched for the detach sequence when one is given; at the client's EOF the container's stdin
/// is closed only for StdinOnce without a tty, otherwise the session ends and the container keeps
/// running. Exec sessions can use it the same way.
/// </summary>
internal static class AttachRelay
{
    private const int BufferSize = 32 * 1024;

    private enum InputEnd
    {
        Eof,
        Detached,
        ContainerGone,
    }

    public static async Task<AttachEnd> RunAsync(Stream container, AttachPeer client, AttachRelayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = PumpOutputAsync(container, client, options.Demultiplex, stop.Token);
        if (!options.Stdin)
        {
            await output.ConfigureAwait(false);
            return AttachEnd.OutputEnded;
        }

        // The input pump is left to end with the connection when output ends first: a read from
        // the client cannot be taken back, and the caller closes the connection next.
        var input = PumpInputAsync(client, container, options.DetachKeys, stop.Token);
        if (await Task.WhenAny(output, input).ConfigureAwait(false) == output)
        {
            return AttachEnd.OutputEnded;
        }

        var end = await input.ConfigureAwait(false);
        if (end == InputEnd.Eof && options.CloseStdinOnEof)
        {
            CloseWrite(container);
            await output.ConfigureAwait(false);
            return AttachEnd.OutputEnded;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await output.ConfigureAwait(false);
        return end == InputEnd.Detached ? AttachEnd.Detached : AttachEnd.InputEnded;
    }

    private static void CloseWrite(Stream container)
    {
        if (container is NetworkStream ns)
        {
            try
            {
                ns.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task PumpOutputAsync(Stream container, AttachPeer client, bool demultiplex, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            if (demultiplex)
            {
                await CopyFramePayloadsAsync(container, client, buffer, cancellationToken).ConfigureAwait(false);
                return;
            }

            int n;
            while ((n = await container.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsDisconnect(e))
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads Docker's multiplexed frames (8-byte header, payload) and sends only the payloads.</summary>
    private static async Task CopyFramePayloadsAsync(Stream container, AttachPeer client, byte[] buffer, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        while (true)
        {
            try
            {
                await container.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return;
            }

            var left = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (left > 0)
            {
                int n = await container.ReadAsync(buffer.AsMemory(0, (int)Math.Min(left, (uint)buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                await client.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                left -= (uint)n;
            }
        }
    }

    private static async Task<InputEnd> PumpInputAsync(AttachPeer client, Stream container, byte[]? detachKeys, CancellationToken cancellationToken)
    {
        var matcher = detachKeys is null ? null : new DetachKeyMatcher(detachKeys);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var filtered = matcher is null ? null : ArrayPool<byte>.Shared.Rent(matcher.MaxOutput(buffer.Length));
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await client.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (IsDisconnect(e))
                {
                    // A client that went away has no more input: the same as its EOF.
                    n = 0;
                }

                if (n == 0)
                {
                    if (matcher is { Pending: > 0 })
                    {
                        int held = matcher.Flush(filtered!);
                        await container.WriteAsync(filtered.AsMemory(0, held), cancellationToken).ConfigureAwait(false);
                    }

                    return InputEnd.Eof;
                }

                if (matcher is null)
                {
                    await container.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                int forward = matcher.Filter(buffer.AsSpan(0, n), filtered!);
                if (forward > 0)
                {
                    await container.WriteAsync(filtered.AsMemory(0, forward), cancellationToken).ConfigureAwait(false);
                }

                if (matcher.Detached)
                {
                    return InputEnd.Detached;
                }
            }
        }
        catch (Exception e) when (IsDisconnect(e))
        {
            return InputEnd.ContainerGone;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (filtered is not null)
            {
                ArrayPool<byte>.Shared.Return(filtered);
            }
        }
    }

    private static bool IsDisconnect(Exception e) => e is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException or SocketException;
}
