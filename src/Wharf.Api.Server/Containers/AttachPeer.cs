namespace Wharf.Api.Server.Containers;

/// <summary>
/// The client end of an attach (or exec) session as <see cref="AttachRelay"/> sees it: a source of
/// stdin bytes and a sink for the container's output, whatever carries them (a hijacked HTTP
/// connection, a websocket).
/// </summary>
internal abstract class AttachPeer
{
    /// <summary>Reads client input; 0 means the client will send no more (half-close, close frame).</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Sends container output to the client right away (no buffering across calls).</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
