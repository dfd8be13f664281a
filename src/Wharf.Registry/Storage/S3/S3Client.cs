using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// The few S3 REST calls the registry needs, signed with <see cref="SigV4"/> over one pooled
/// HttpClient. Keys are relative to the settings' prefix. Bodies that are sent are in memory
/// (at most a part), so each is signed with its real SHA-256 and can be sent again: transient
/// failures (5xx, throttling, a dropped connection) are retried with backoff (<see cref="S3RetryPolicy"/>).
/// Bodies that are read stream.
/// </summary>
internal sealed class S3Client : IDisposable
{
    /// <summary>S3's limit for a single CopyObject; larger objects are copied part by part.</summary>
    public const long MaxSingleCopy = 5L * 1024 * 1024 * 1024;

    private static readonly KeyValuePair<string, string>[] NoQuery = [];

    /// <summary>Which attempt a request was, so an error can say how often it was tried.</summary>
    private static readonly HttpRequestOptionsKey<int> AttemptKey = new("wharf.s3.attempt");
    private readonly HttpClient _http;
    private readonly S3Settings _settings;
    private readonly TimeProvider _time;

    public S3Client(S3Settings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public S3Settings Settings => _settings;

    /// <summary>How transient failures are retried; settable so tests need not wait for real backoff.</summary>
    internal S3RetryPolicy Retry { get; init; } = S3RetryPolicy.Default;

    public void Dispose() => _http.Dispose();

    /// <summary>Fails with a clear message when the bucket cannot be reached with these settings.</summary>
    public async Task CheckBucketAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, null, NoQuery, null, null, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var where = $"S3 bucket \"{_settings.Bucket}\" at {_settings.Endpoint}";
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return;
            case HttpStatusCode.NotFound:
                throw new S3Exception(where + " does not exist", response.StatusCode, "NoSuchBucket");
            case HttpStatusCode.Forbidden:
                throw new S3Exception(where + ": access denied (check the access key, secret and region)", response.StatusCode, "AccessDenied");
            case HttpStatusCode.MovedPermanently:
                throw new S3Exception(where + " is in another region than " + _settings.Region, response.StatusCode, "PermanentRedirect");
            default:
                throw new S3Exception($"{where}: HTTP {(int)response.StatusCode}", response.StatusCode, null);
        }
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, key, NoQuery, content, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "PUT", key, ct).ConfigureAwait(false);
    }

    /// <summary>The object's size and last change, or null when absent.</summary>
    public async Task<S3Object?> HeadAsync(string key, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, key, NoQuery, null, null, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, "HEAD", key, ct).ConfigureAwait(false);
        return new S3Object(key, response.Content.Headers.ContentLength ?? 0, response.Content.Headers.LastModified ?? DateTimeOffset.MinValue);
    }

    /// <summary>The whole object in memory (for small ones), or null when absent.</summary>
    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, key, NoQuery, null, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, "GET", key, ct).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A streaming GET from <paramref name="offset"/> to the end; the caller disposes the response.
    /// Null when absent.
    /// </summary>
    /// <param name="attemptsUsed">Attempts already spent on this read (by a caller picking up a broken-off answer); they count against the retry policy's bound.</param>
    public async Task<HttpResponseMessage?> GetStreamAsync(string key, long offset, int attemptsUsed, CancellationToken ct)
    {
        var response = await SendAsync(HttpMethod.Get, key, NoQuery, null, offset > 0 ? $"bytes={offset.ToString(CultureInfo.InvariantCulture)}-" : null,
            HttpCompletionOption.ResponseHeadersRead, ct, attemptsUsed: attemptsUsed).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }
        try
        {
            await EnsureSuccessAsync(response, "GET", key, ct).ConfigureAwait(false);
            if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
            {
                // The whole object instead of the range asked for: read from here it would be the wrong bytes.
                throw new S3Exception($"S3 GET {key}: HTTP {(int)response.StatusCode} to a ranged request (want 206)", response.StatusCode, null);
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
        return response;
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, key, NoQuery, null, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, "DELETE", key, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One page of ListObjectsV2 under <paramref name="prefix"/>, every page in turn.</summary>
    public async IAsyncEnumerable<S3Listing> ListAsync(string prefix, string? delimiter, int? maxKeys, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var query = new List<KeyValuePair<string, string>> { new("list-type", "2"), new("prefix", _settings.Prefix + prefix) };
            if (delimiter is not null)
            {
                query.Add(new("delimiter", delimiter));
            }
            if (maxKeys is { } n)
            {
                query.Add(new("max-keys", n.ToString(CultureInfo.InvariantCulture)));
            }
            if (token is not null)
            {
                query.Add(new("continuation-token", token));
            }
            var doc = await SendXmlAsync(HttpMethod.Get, null, query, null, null, "LIST", prefix, ct).ConfigureAwait(false);
            var root = doc.Root!;
            var objects = root.Elements().Where(e => e.Name.LocalName == "Contents").Select(c => new S3Object(
                Relative(Child(c, "Key") ?? ""),
                long.Parse(Child(c, "Size") ?? "0", CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(Child(c, "LastModified") ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture))).ToList();
            var prefixes = root.Elements().Where(e => e.Name.LocalName == "CommonPrefixes").Select(c => Relative(Child(c, "Prefix") ?? "")).ToList();
            yield return new S3Listing(objects, prefixes);
            token = Child(root, "IsTruncated") == "true" ? Child(root, "NextContinuationToken") : null;
            if (maxKeys is not null)
            {
                yield break;
            }
        }
        while (token is not null);
    }

    /// <summary>
    /// The multipart uploads in progress whose keys start with <paramref name="prefix"/>
    /// (ListMultipartUploads), following S3's key and upload-id markers page by page.
    /// </summary>
    public async IAsyncEnumerable<S3MultipartUpload> ListMultipartUploadsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? keyMarker = null;
        string? idMarker = null;
        while (true)
        {
            var query = new List<KeyValuePair<string, string>> { new("uploads", ""), new("prefix", _settings.Prefix + prefix) };
            if (keyMarker is not null)
            {
                query.Add(new("key-marker", keyMarker));
                query.Add(new("upload-id-marker", idMarker ?? ""));
            }
            var doc = await SendXmlAsync(HttpMethod.Get, null, query, null, null, "LIST MULTIPART", prefix, ct).ConfigureAwait(false);
            var root = doc.Root!;
            foreach (var u in root.Elements().Where(e => e.Name.LocalName == "Upload"))
            {
                if (Child(u, "Key") is { } key && Child(u, "UploadId") is { } id)
                {
                    var initiated = DateTimeOffset.TryParse(Child(u, "Initiated"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                        ? t
                        : DateTimeOffset.MinValue;
                    yield return new S3MultipartUpload(Relative(key), id, initiated);
                }
            }
            var nextKey = Child(root, "NextKeyMarker");
            var nextId = Child(root, "NextUploadIdMarker");
            // A store that claims more but names no new place to go on from would loop forever.
            if (Child(root, "IsTruncated") != "true" || string.IsNullOrEmpty(nextKey) || (nextKey == keyMarker && nextId == idMarker))
            {
                yield break;
            }
            keyMarker = nextKey;
            idMarker = nextId;
        }
    }

    public async Task CopyAsync(string sourceKey, string targetKey, CancellationToken ct)
    {
        var doc = await SendXmlAsync(HttpMethod.Put, targetKey, NoQuery, null, [new("x-amz-copy-source", CopySource(sourceKey))], "COPY", targetKey, ct).ConfigureAwait(false);
        RejectErrorBody(doc, "COPY", targetKey);
    }

    public async Task<string> CreateMultipartAsync(string key, CancellationToken ct)
    {
        var doc = await SendXmlAsync(HttpMethod.Post, key, [new("uploads", "")], null, null, "CREATE MULTIPART", key, ct).ConfigureAwait(false);
        return Child(doc.Root!, "UploadId") ?? throw new S3Exception($"S3 CREATE MULTIPART {key}: no UploadId in the answer", HttpStatusCode.OK, null);
    }

    /// <returns>The part's ETag.</returns>
    public async Task<string> UploadPartAsync(string key, string uploadId, int partNumber, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, key, PartQuery(uploadId, partNumber), content, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "UPLOAD PART", key, ct).ConfigureAwait(false);
        return response.Headers.ETag?.ToString() ?? throw new S3Exception($"S3 UPLOAD PART {key}: no ETag in the answer", response.StatusCode, null);
    }

    /// <returns>The part's ETag.</returns>
    public async Task<string> UploadPartCopyAsync(string key, string uploadId, int partNumber, string sourceKey, long first, long last, CancellationToken ct)
    {
        var doc = await SendXmlAsync(HttpMethod.Put, key, PartQuery(uploadId, partNumber), null,
            [new("x-amz-copy-source", CopySource(sourceKey)), new("x-amz-copy-source-range", string.Create(CultureInfo.InvariantCulture, $"bytes={first}-{last}"))],
            "UPLOAD PART COPY", key, ct).ConfigureAwait(false);
        RejectErrorBody(doc, "UPLOAD PART COPY", key);
        return Child(doc.Root!, "ETag") ?? throw new S3Exception($"S3 UPLOAD PART COPY {key}: no ETag in the answer", HttpStatusCode.OK, null);
    }

    public async Task CompleteMultipartAsync(string key, string uploadId, IReadOnlyList<(int Number, string ETag)> parts, CancellationToken ct)
    {
        var body = new XElement("CompleteMultipartUpload",
            parts.Select(p => new XElement("Part", new XElement("PartNumber", p.Number), new XElement("ETag", p.ETag))));
        var bytes = Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting));
        // S3 may answer 200 and report a failure in the body, so the body is always read.
        var doc = await SendXmlAsync(HttpMethod.Post, key, [new("uploadId", uploadId)], bytes, null, "COMPLETE MULTIPART", key, ct).ConfigureAwait(false);
        RejectErrorBody(doc, "COMPLETE MULTIPART", key);
    }

    public async Task AbortMultipartAsync(string key, string uploadId, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, key, [new("uploadId", uploadId)], null, null, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, "ABORT MULTIPART", key, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The request URI's path for a key (or the bucket itself), encoded as sent and as signed.</summary>
    internal string CanonicalPath(string? key)
    {
        var encodedKey = key is null ? "" : SigV4.UriEncode(_settings.Prefix + key, keepSlash: true);
        return _settings.PathStyle ? "/" + SigV4.UriEncode(_settings.Bucket, false) + (key is null ? "" : "/" + encodedKey) : "/" + encodedKey;
    }

    internal string Authority => _settings.PathStyle ? _settings.Endpoint.Authority : _settings.Bucket + "." + _settings.Endpoint.Authority;

    private static KeyValuePair<string, string>[] PartQuery(string uploadId, int partNumber) =>
        [new("partNumber", partNumber.ToString(CultureInfo.InvariantCulture)), new("uploadId", uploadId)];

    private string CopySource(string sourceKey) => "/" + _settings.Bucket + "/" + SigV4.UriEncode(_settings.Prefix + sourceKey, keepSlash: true);

    private string Relative(string key) => key.StartsWith(_settings.Prefix, StringComparison.Ordinal) ? key[_settings.Prefix.Length..] : key;

    private static string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    private static void RejectErrorBody(XDocument doc, string operation, string key)
    {
        if (doc.Root?.Name.LocalName == "Error")
        {
            throw new S3Exception($"S3 {operation} {key}: {Child(doc.Root, "Code")}: {Child(doc.Root, "Message")}", HttpStatusCode.OK, Child(doc.Root, "Code"));
        }
    }

    private async Task<XDocument> SendXmlAsync(
        HttpMethod method, string? key, IReadOnlyList<KeyValuePair<string, string>> query, ReadOnlyMemory<byte>? body,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders, string operation, string what, CancellationToken ct)
    {
        using var response = await SendAsync(method, key, query, body, null, HttpCompletionOption.ResponseContentRead, ct, extraHeaders, peekOkBody: true).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, what, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return XDocument.Parse(text);
        }
        catch (System.Xml.XmlException e)
        {
            throw new S3Exception($"S3 {operation} {what}: unreadable answer ({e.Message})", e);
        }
    }

    /// <summary>
    /// Sends a request, again after a transient failure as <see cref="Retry"/> says, each attempt
    /// built and signed anew (SigV4 signs the time). Every body this client sends is a buffer in
    /// memory, so sending it again is always possible. A request whose body were a one-shot stream
    /// (read from a client as it is sent) must never be sent again once any of its bytes left: the
    /// second attempt would send what is left, not the body; such a request would have to opt out.
    /// The last answer, successful or not, is returned; when no answer came at all the last failure
    /// is thrown as an <see cref="S3Exception"/>.
    /// </summary>
    /// <param name="attemptsUsed">Attempts already spent elsewhere on the same thing; the first one sent here is the next.</param>
    /// <param name="peekOkBody">
    /// The answer is a document read whole, and S3 may answer such calls (CopyObject, UploadPartCopy,
    /// CompleteMultipartUpload) with 200 and an error document: a transient error code there is retried too.
    /// </param>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string? key, IReadOnlyList<KeyValuePair<string, string>> query, ReadOnlyMemory<byte>? body, string? range,
        HttpCompletionOption completion, CancellationToken ct, IReadOnlyList<KeyValuePair<string, string>>? extraHeaders = null, bool peekOkBody = false,
        int attemptsUsed = 0)
    {
        var retry = Retry;
        for (var attempt = attemptsUsed + 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = CreateRequest(method, key, query, body, range, extraHeaders);
                request.Options.Set(AttemptKey, attempt);
                // Covers the exchange up to the answer's headers (ResponseHeadersRead) or its whole body;
                // no exchange moves more than a part (a tail read whole is at most one).
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(retry.TimeoutFor(Math.Max(body?.Length ?? 0, _settings.PartSize)));
                response = await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < retry.MaxAttempts && S3RetryPolicy.IsTransientFailure(e))
            {
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && attempt < retry.MaxAttempts)
            {
                // Not the caller's cancellation: the attempt's or the connect timeout.
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new S3Exception($"cannot reach S3 endpoint {_settings.Endpoint}: {e.Message}{Attempts(attempt)}", e);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new S3Exception($"cannot reach S3 endpoint {_settings.Endpoint}: timed out{Attempts(attempt)}", e);
            }
            bool again;
            try
            {
                again = attempt < retry.MaxAttempts && await IsTransientAsync(response, method, peekOkBody, ct).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            if (again)
            {
                response.Dispose();
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            return response;
        }
    }

    /// <summary>Which attempt (counted from 1) brought an answer of this client.</summary>
    internal static int AttemptOf(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(AttemptKey, out var n) == true ? n : 1;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (for callers that retry reading a streamed answer).</summary>
    internal Task BackoffAsync(int attempt, CancellationToken ct) => Task.Delay(Retry.DelayAfter(attempt), _time, ct);

    private static string Attempts(int attempts) => attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({attempts} attempts)") : "";

    /// <summary>Whether an answer asks to be tried again: a transient status, or a transient error code in its body.</summary>
    private static async Task<bool> IsTransientAsync(HttpResponseMessage response, HttpMethod method, bool peekOkBody, CancellationToken ct)
    {
        if (S3RetryPolicy.IsTransientStatus(response.StatusCode))
        {
            return true;
        }
        // S3 answers RequestTimeout (its socket timed out waiting for our body) with 400; throttling
        // codes of S3-compatible stores come with other statuses. Error documents are small.
        var peek = response.StatusCode == HttpStatusCode.BadRequest || (peekOkBody && response.IsSuccessStatusCode);
        if (!peek || method == HttpMethod.Head)
        {
            return false;
        }
        try
        {
            await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!text.Contains("<Error", StringComparison.Ordinal))
            {
                return false;
            }
            var root = XDocument.Parse(text).Root;
            return root?.Name.LocalName == "Error" && S3RetryPolicy.IsTransientCode(Child(root, "Code"));
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The body broke off: an answer cut short is a transient failure too.
            return true;
        }
    }

    private HttpRequestMessage CreateRequest(
        HttpMethod method, string? key, IReadOnlyList<KeyValuePair<string, string>> query, ReadOnlyMemory<byte>? body, string? range,
        IReadOnlyList<KeyValuePair<string, string>>? extraHeaders)
    {
        var path = CanonicalPath(key);
        var queryString = SigV4.CanonicalQuery(query);
        var uri = new Uri($"{_settings.Endpoint.Scheme}://{Authority}{path}{(queryString.Length > 0 ? "?" + queryString : "")}");
        var request = new HttpRequestMessage(method, uri);
        var payloadHash = body is { } b ? SigV4.PayloadHash(b.Span) : SigV4.EmptyPayloadHash;
        var now = _time.GetUtcNow();
        var signed = new List<KeyValuePair<string, string>>
        {
            new("host", Authority),
            new("x-amz-content-sha256", payloadHash),
            new("x-amz-date", SigV4.AmzDate(now)),
        };
        if (range is not null)
        {
            signed.Add(new("range", range));
        }
        if (_settings.SessionToken is { } token)
        {
            signed.Add(new("x-amz-security-token", token));
        }
        if (extraHeaders is not null)
        {
            signed.AddRange(extraHeaders);
        }
        foreach (var (name, value) in signed)
        {
            if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4.Authorization(method.Method, path, queryString, signed, payloadHash, now, _settings.AccessKey, _settings.SecretKey, _settings.Region));
        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentLength = content.Length;
        }
        else if (method == HttpMethod.Put || method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent([]);
            request.Content.Headers.ContentLength = 0;
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string key, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string? code = null;
        string? message = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (text.Length > 0)
            {
                var root = XDocument.Parse(text).Root;
                code = root is null ? null : Child(root, "Code");
                message = root is null ? null : Child(root, "Message");
            }
        }
        catch (System.Xml.XmlException)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The error document broke off: the status says enough.
        }
        var attempts = Attempts(AttemptOf(response));
        throw new S3Exception($"S3 {operation} {key}: HTTP {(int)response.StatusCode}{(code is null ? "" : " " + code)}{(message is null ? "" : ": " + message)}{attempts}",
            response.StatusCode, code);
    }
}
