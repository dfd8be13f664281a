using System.Net.WebSockets;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// A websocket attach (<c>GET /containers/{id}/attach/ws</c>): every message the client sends is
/// stdin, a close frame is stdin EOF; output goes out as one message per chunk, binary from API
/// 1.28 on and text before, as dockerd does.
/// </summary>
internal sealed class WebSocketPeer(WebSocket socket, WebSocketMessageType outputType) : AttachPeer
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return 0;
            }

            // An empty message is not the end of input.
            if (result.Count > 0)
            {
                return result.Count;
            }
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        => socket.SendAsync(data, outputType, endOfMessage: true, cancellationToken);

    /// <summary>Sends the close frame (normal closure) unless the connection is already gone.</summary>
    public async Task CloseAsync()
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }
}
