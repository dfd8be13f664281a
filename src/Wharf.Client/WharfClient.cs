using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Client;

/// <summary>A thin client for the Docker Engine API served by wharfd (or dockerd).</summary>
public sealed class WharfClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string? _fixedVersion;
    private string? _version;

    public WharfClient(DaemonHost host, string? apiVersion = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = host;
        _fixedVersion = string.IsNullOrWhiteSpace(apiVersion) ? null : apiVersion.TrimStart('v');
        // On the unix socket our own small HTTP/1.1 client: SocketsHttpHandler's set-up and first
        // request were most of a CLI invocation's time (see UnixHttpHandler).
        HttpMessageHandler handler = host.Scheme == "unix"
            ? new UnixHttpHandler(host.Address)
            : new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(host.Scheme == "unix" ? "http://api.moby.localhost" : $"http://{host.Address}:{host.Port}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Wharf-Client/0.1");
    }

    public DaemonHost Host { get; }

    /// <summary>The API version in use, after <see cref="NegotiateAsync"/>.</summary>
    public string? Version => _fixedVersion ?? _version;

    /// <summary>The version the server announced in <c>/_ping</c>, if negotiation ran.</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>Pings the daemon and settles the API version as the docker CLI does.</summary>
    public async Task<string> NegotiateAsync(CancellationToken cancellationToken)
    {
        if (Version is { } v)
        {
            return v;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_ping");
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        ServerVersion = response.Headers.TryGetValues("API-Version", out var values) ? values.FirstOrDefault() : null;
        _version = ApiVersion.Negotiate(ServerVersion);
        return _version;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption option, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, option, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new DaemonUnreachableException(Host, e);
        }
    }

    /// <summary>Sends a versioned request; returns the response once headers arrive. Error statuses throw <see cref="DaemonErrorException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, QueryBuilder? query, HttpContent? content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string version = await NegotiateAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, $"/v{version}{path}{query}") { Content = content };
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode >= 400)
        {
            using (response)
            {
                throw await ToErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        return response;
    }

    private static async Task<DaemonErrorException> ToErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string message = body.Trim();
        if (JsonMessageReader.ParseOrNull(body) is JsonObject o && o["message"] is JsonValue m && m.TryGetValue<string>(out var text))
        {
            message = text;
        }
        if (message.Length == 0)
        {
            message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        return new DaemonErrorException(response.StatusCode, message);
    }

    public Task<JsonNode?> GetJsonAsync(string path, QueryBuilder? query, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, path, query, null, cancellationToken);

    public Task<JsonNode?> PostJsonAsync(string path, QueryBuilder? query, JsonNode? body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, path, query, body is null ? null : JsonContent(body), cancellationToken);

    public Task<JsonNode?> DeleteJsonAsync(string path, QueryBuilder? query, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Delete, path, query, null, cancellationToken);

    private static StringContent JsonContent(JsonNode body) =>
        new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Sends and parses the JSON answer; an empty body gives null.</summary>
    public async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, QueryBuilder? query, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, query, content, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("error reading daemon response: " + e.Message, e);
        }
    }

    /// <summary>Opens a streaming response body (save, events, progress streams). Dispose the response when done.</summary>
    public async Task<(HttpResponseMessage Response, Stream Body)> OpenStreamAsync(HttpMethod method, string path, QueryBuilder? query, HttpContent? content, CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, path, query, content, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return (response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Like <see cref="OpenStreamAsync"/> with extra request headers (pull and push send <c>X-Registry-Auth</c>).</summary>
    public async Task<(HttpResponseMessage Response, Stream Body)> OpenStreamAsync(HttpMethod method, string path, QueryBuilder? query, HttpContent? content, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(headers);
        string version = await NegotiateAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, $"/v{version}{path}{query}") { Content = content };
        foreach (var (k, v) in headers)
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }
        var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode >= 400)
        {
            using (response)
            {
                throw await ToErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
        try
        {
            return (response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a request body stream (import, load) as HTTP content.</summary>
    public static HttpContent StreamContent(Stream body, string contentType)
    {
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>Encodes Docker filters (<c>key=value</c> pairs) as the API's <c>{"key":{"value":true}}</c> JSON.</summary>
    public static string? EncodeFilters(IEnumerable<KeyValuePair<string, string>> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var root = new JsonObject();
        foreach (var (key, value) in filters)
        {
            if (root[key] is not JsonObject values)
            {
                values = new JsonObject();
                root[key] = values;
            }
            values[value] = true;
        }
        return root.Count == 0 ? null : root.ToJsonString();
    }

    /// <summary>POSTs <paramref name="path"/> with <c>Upgrade: tcp</c> and returns the raw connection after
    /// the daemon's 101 (attach). Written by hand: the API needs the socket half-closable for stdin EOF.</summary>
    public Task<HijackedStream> HijackAsync(string path, QueryBuilder? query, CancellationToken cancellationToken)
        => HijackAsync(path, query, null, cancellationToken);

    /// <summary>Like <see cref="HijackAsync(string, QueryBuilder?, CancellationToken)"/> with a JSON body on the upgrade request (exec start).</summary>
    public async Task<HijackedStream> HijackAsync(string path, QueryBuilder? query, string? jsonBody, CancellationToken cancellationToken)
    {
        string version = await NegotiateAsync(cancellationToken).ConfigureAwait(false);
        Socket socket;
        System.Net.EndPoint endPoint;
        if (Host.Scheme == "unix")
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(Host.Address);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            endPoint = new DnsEndPoint(Host.Address, Host.Port);
        }
        try
        {
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new DaemonUnreachableException(Host, new HttpRequestException(e.Message, e));
            }
            byte[] payload = jsonBody is null ? [] : Encoding.UTF8.GetBytes(jsonBody);
            string contentType = jsonBody is null ? "text/plain" : "application/json";
            string request = $"POST /v{version}{path}{query} HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Wharf-Client/0.1\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request).Concat(payload).ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var buffer = new List<byte>();
            var chunk = new byte[4096];
            int headerEnd;
            while (true)
            {
                int n = await socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("daemon closed the connection during attach");
                }
                buffer.AddRange(chunk.AsSpan(0, n));
                headerEnd = IndexOfBlankLine(buffer);
                if (headerEnd >= 0)
                {
                    break;
                }
            }
            string head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray());
            byte[] rest = buffer.GetRange(headerEnd + 4, buffer.Count - headerEnd - 4).ToArray();
            string[] statusParts = head.Split("\r\n")[0].Split(' ', 3);
            int status = statusParts.Length > 1 && int.TryParse(statusParts[1], out var st) ? st : 0;
            if (status is 101 or 200)
            {
                return new HijackedStream(socket, rest);
            }
            // An error: read the body (Content-Length or until close) for the message.
            var body = new List<byte>(rest);
            int length = -1;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            while (length < 0 || body.Count < length)
            {
                int n = await socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                body.AddRange(chunk.AsSpan(0, n));
            }
            socket.Dispose();
            string text = Encoding.UTF8.GetString(body.ToArray()).Trim();
            string message = JsonMessageReader.ParseOrNull(text) is JsonObject o && o["message"] is JsonValue m && m.TryGetValue<string>(out var t) ? t : text;
            throw new DaemonErrorException((HttpStatusCode)status, message);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static int IndexOfBlankLine(List<byte> b)
    {
        for (int i = 0; i + 3 < b.Count; i++)
        {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    public static bool IsNotFound(Exception e) => e is DaemonErrorException { StatusCode: HttpStatusCode.NotFound };

    public void Dispose() => _http.Dispose();
}
