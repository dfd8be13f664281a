using System.Net.Sockets;
using System.Text;

namespace Wharf.Distribution;

/// <summary>
/// Tells whether a host that failed the TLS handshake answers plain HTTP instead, so the error
/// can say so in the words docker users know (Go's <c>http: server gave HTTP response to HTTPS
/// client</c>) rather than .NET's "corrupted frame". Only used after a handshake failed.
/// </summary>
internal static class PlainHttpProbe
{
    public const string Message = "http: server gave HTTP response to HTTPS client";

    public static async Task<bool> AnswersPlainHttpAsync(string hostPort, CancellationToken cancellationToken)
    {
        var colon = hostPort.LastIndexOf(':');
        var host = colon > 0 && !hostPort.EndsWith(']') ? hostPort[..colon] : hostPort;
        var port = colon > 0 && int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 443;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host.Trim('[', ']'), port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /v2/ HTTP/1.1\r\nHost: {hostPort}\r\nConnection: close\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            var first = new byte[5];
            var read = 0;
            while (read < first.Length)
            {
                var n = await stream.ReadAsync(first.AsMemory(read), timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            return read == first.Length && first.AsSpan().SequenceEqual("HTTP/"u8);
        }
        catch (Exception e) when ((e is SocketException or IOException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
