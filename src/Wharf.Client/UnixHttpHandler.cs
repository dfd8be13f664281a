using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Client;

/// <summary>
/// HTTP/1.1 over a unix socket, one connection per request, written for the CLI's start-up time:
/// SocketsHttpHandler's first request (connection pool, header machinery, telemetry) cost about
/// 100 ms of CPU per invocation here, more than the rest of a <c>wharf version</c>. Requests carry
/// Content-Length when the body's length is known and are chunked otherwise; responses are read
/// by Content-Length, chunked, or until the daemon closes the connection.
/// </summary>
internal sealed class UnixHttpHandler(string socketPath) : HttpMessageHandler
{
    private const int MaxHeaderBytes = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new HttpRequestException(HttpRequestError.ConnectionError, e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            IOException? sendError = null;
            try
            {
                await WriteRequestAsync(stream, request, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // The daemon may answer (an error) and close before it read the whole body: its
                // answer is what the user needs, so look for it before reporting the write failure.
                sendError = e;
            }
            var reader = new HttpBodyStream(stream);
            HttpResponseMessage response;
            try
            {
                response = await ReadResponseHeadAsync(reader, request, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                var cause = sendError ?? e;
                throw new HttpRequestException(HttpRequestError.ResponseEnded, cause.Message, cause);
            }
            return response;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task WriteRequestAsync(NetworkStream stream, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(256);
        var uri = request.RequestUri ?? throw new InvalidOperationException("request without a URI");
        head.Append(request.Method.Method).Append(' ').Append(uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(uri.IsAbsoluteUri ? uri.Authority : "api.moby.localhost").Append("\r\n");
        bool hasConnection = false;
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            hasConnection |= name.Equals("Connection", StringComparison.OrdinalIgnoreCase);
            AppendHeader(head, name, values);
        }
        if (!hasConnection)
        {
            head.Append("Connection: close\r\n");
        }
        var content = request.Content;
        long? length = null;
        if (content is not null)
        {
            foreach (var (name, values) in content.Headers.NonValidated)
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    AppendHeader(head, name, values);
                }
            }
            length = content.Headers.ContentLength;
            head.Append(length is { } l ? "Content-Length: " + l.ToString(CultureInfo.InvariantCulture) + "\r\n" : "Transfer-Encoding: chunked\r\n");
        }
        else if (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
        {
            head.Append("Content-Length: 0\r\n");
        }
        head.Append("\r\n");
        byte[] headBytes = Encoding.Latin1.GetBytes(head.ToString());
        if (content is null)
        {
            await stream.WriteAsync(headBytes, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (length is not null && length <= 64 * 1024)
        {
            // Small bodies (JSON) go out with the head in one write.
            byte[] body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            byte[] all = new byte[headBytes.Length + body.Length];
            headBytes.CopyTo(all, 0);
            body.CopyTo(all, headBytes.Length);
            await stream.WriteAsync(all, cancellationToken).ConfigureAwait(false);
            return;
        }
        await stream.WriteAsync(headBytes, cancellationToken).ConfigureAwait(false);
        if (length is not null)
        {
            await content.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            return;
        }
        var chunked = new ChunkedWriteStream(stream);
        await content.CopyToAsync(chunked, cancellationToken).ConfigureAwait(false);
        await chunked.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AppendHeader(StringBuilder head, string name, HeaderStringValues values)
    {
        head.Append(name).Append(": ");
        bool first = true;
        foreach (var v in values)
        {
            if (!first)
            {
                head.Append(name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) ? " " : ", ");
            }
            head.Append(v);
            first = false;
        }
        head.Append("\r\n");
    }

    private static async Task<HttpResponseMessage> ReadResponseHeadAsync(HttpBodyStream reader, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        while (true)
        {
            string status = await reader.ReadLineAsync(MaxHeaderBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("the daemon closed the connection before answering");
            // "HTTP/1.1 200 OK"
            string[] parts = status.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "malformed HTTP status line from the daemon: " + status);
            }
            var response = new HttpResponseMessage((HttpStatusCode)code) { RequestMessage = request, ReasonPhrase = parts.Length > 2 ? parts[2] : null, Version = HttpVersion.Version11 };
            var contentHeaders = new List<(string, string)>();
            long? length = null;
            bool chunked = false;
            int total = 0;
            while (true)
            {
                string line = await reader.ReadLineAsync(MaxHeaderBytes, cancellationToken).ConfigureAwait(false)
                    ?? throw new IOException("the daemon closed the connection in the response headers");
                total += line.Length;
                if (total > MaxHeaderBytes)
                {
                    throw new HttpRequestException(HttpRequestError.InvalidResponse, "response headers from the daemon are too large");
                }
                if (line.Length == 0)
                {
                    break;
                }
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }
                string name = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long l))
                {
                    length = l;
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
                if (!response.Headers.TryAddWithoutValidation(name, value))
                {
                    contentHeaders.Add((name, value));
                }
            }
            if (code is >= 100 and < 200 and not 101)
            {
                // 100 Continue and friends: the real answer follows.
                response.Dispose();
                continue;
            }
            bool noBody = request.Method == HttpMethod.Head || code is 204 or 304;
            reader.SetFraming(noBody ? 0 : chunked ? HttpBodyStream.Chunked : length ?? HttpBodyStream.UntilClose);
            var content = new StreamContent(reader);
            foreach (var (name, value) in contentHeaders)
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }
            response.Content = content;
            return response;
        }
    }
}
