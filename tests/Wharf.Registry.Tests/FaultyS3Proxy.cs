using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Wharf.Registry.Tests;

/// <summary>How <see cref="FaultyS3Proxy"/> answers one request instead of passing it on.</summary>
internal enum S3Fault
{
    /// <summary>503 with S3's SlowDown error document.</summary>
    SlowDown,

    /// <summary>500 with S3's InternalError error document.</summary>
    InternalError,

    /// <summary>400 RequestTimeout, as S3 answers when it waited too long for a request's body.</summary>
    RequestTimeout,

    /// <summary>200 with an InternalError document, as S3 may answer a copy or a CompleteMultipartUpload.</summary>
    OkWithInternalError,

    /// <summary>Headers promising a body, a few bytes of it, then the connection is reset.</summary>
    Drop,

    /// <summary>403 AccessDenied: final, never retried.</summary>
    AccessDenied,

    /// <summary>The request is passed on and takes effect, but its answer is cut off as by <see cref="Drop"/>.</summary>
    LoseAnswer,

    /// <summary>The real answer, its body cut off halfway by a reset.</summary>
    TruncateBody,

    /// <summary>The real answer's headers, then a reset before any of its body.</summary>
    EmptyBody,

    /// <summary>No answer at all until the client gives up.</summary>
    Stall,

    /// <summary>The real answer's headers and half its body, then nothing until the client gives up.</summary>
    StallBody,

    /// <summary>404 NoSuchUpload, as S3 may answer a completion repeated after the first took effect.</summary>
    NoSuchUpload,
}

/// <summary>One request the proxy saw: method, raw target (path and query as sent), its signing time and signature, and the fault it answered with.</summary>
internal sealed record S3Exchange(string Method, string Target, string AmzDate, string Authorization, S3Fault? Fault);

/// <summary>
/// A Kestrel server on 127.0.0.1 in front of a real S3 server (moto): it passes requests on and
/// their answers back, except where a test injected faults, and records every request. It can also
/// make moto's ListMultipartUploads answer as S3's does where moto 5.2.1 does not: moto reports
/// every upload as initiated on 2010-11-10 and ignores max-uploads and the markers, so the proxy
/// applies the start times a test sets and pages the listing itself.
/// </summary>
internal sealed class FaultyS3Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;
    private readonly List<S3Exchange> _exchanges = [];
    private readonly List<(Func<string, string, bool> Match, Queue<S3Fault> Faults)> _plans = [];

    private FaultyS3Proxy(WebApplication app, Uri target)
    {
        _app = app;
        _target = target;
    }

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>A fault for every request (after the injected ones), or null to pass requests on.</summary>
    public S3Fault? Always { get; set; }

    /// <summary>When set, ListMultipartUploads answers hold at most this many uploads and page with S3's markers.</summary>
    public int? UploadsPageSize { get; set; }

    /// <summary>The start time to report per upload id (others keep moto's).</summary>
    public Dictionary<string, DateTimeOffset> Initiated { get; } = new(StringComparer.Ordinal);

    public static async Task<FaultyS3Proxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultyS3Proxy(app, target);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            : throw new InvalidOperationException("no server");
        proxy.Endpoint = new Uri(address);
        return proxy;
    }

    /// <summary>The next requests that <paramref name="match"/> (method, raw target) get these faults, one each, in order.</summary>
    public void Inject(Func<string, string, bool> match, params S3Fault[] faults)
    {
        lock (_plans)
        {
            _plans.Add((match, new Queue<S3Fault>(faults)));
        }
    }

    public IReadOnlyList<S3Exchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    public void ClearExchanges()
    {
        lock (_exchanges)
        {
            _exchanges.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private S3Fault? NextFault(string method, string target)
    {
        lock (_plans)
        {
            foreach (var (match, faults) in _plans)
            {
                if (faults.Count > 0 && match(method, target))
                {
                    return faults.Dequeue();
                }
            }
        }
        return Always;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var fault = NextFault(method, target);
        lock (_exchanges)
        {
            _exchanges.Add(new S3Exchange(method, target, context.Request.Headers["x-amz-date"].ToString(), context.Request.Headers.Authorization.ToString(), fault));
        }
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        switch (fault)
        {
            case S3Fault.SlowDown:
                await ErrorAsync(context, 503, "SlowDown", "Please reduce your request rate.");
                return;
            case S3Fault.InternalError:
                await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            case S3Fault.RequestTimeout:
                await ErrorAsync(context, 400, "RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.");
                return;
            case S3Fault.OkWithInternalError:
                await ErrorAsync(context, 200, "InternalError", "We encountered an internal error. Please try again.");
                return;
            case S3Fault.AccessDenied:
                await ErrorAsync(context, 403, "AccessDenied", "Access Denied");
                return;
            case S3Fault.NoSuchUpload:
                await ErrorAsync(context, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
                return;
            case S3Fault.Drop:
                await CutOffAsync(context);
                return;
            case S3Fault.Stall:
                await WaitForClientToLeaveAsync(context);
                return;
        }
        await ForwardAsync(context, method, target, body.ToArray(), fault);
    }

    /// <summary>
    /// Headers promising a body, a few bytes of it, then a reset. Some bytes of an answer arrived, so
    /// the client cannot take it for a stale pooled connection and resend on its own.
    /// </summary>
    private static async Task CutOffAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentLength = 1000;
        await context.Response.Body.WriteAsync("<?xml"u8.ToArray());
        await context.Response.Body.FlushAsync();
        context.Abort();
    }

    private static async Task WaitForClientToLeaveAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>FAULTY0001</RequestId></Error>";
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(xml);
        }
    }

    private async Task ForwardAsync(HttpContext context, string method, string target, byte[] body, S3Fault? fault)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_target, target));
        if (body.Length > 0 || HttpMethods.IsPut(method) || HttpMethods.IsPost(method))
        {
            request.Content = new ByteArrayContent(body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseContentRead, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (fault == S3Fault.LoseAnswer)
        {
            await CutOffAsync(context);
            return;
        }
        if (HttpMethods.IsGet(method) && IsListUploads(target) && response.IsSuccessStatusCode)
        {
            answer = Encoding.UTF8.GetBytes(RewriteUploads(Encoding.UTF8.GetString(answer), context.Request.Query));
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            context.Response.Headers[name] = values.ToArray();
        }
        context.Response.ContentLength = HttpMethods.IsHead(method) ? response.Content.Headers.ContentLength : answer.Length;
        if (fault == S3Fault.StallBody)
        {
            await context.Response.Body.WriteAsync(answer.AsMemory(0, answer.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await WaitForClientToLeaveAsync(context);
            return;
        }
        if (fault is S3Fault.TruncateBody or S3Fault.EmptyBody)
        {
            await context.Response.Body.WriteAsync(answer.AsMemory(0, fault == S3Fault.TruncateBody ? answer.Length / 2 : 0), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }
        if (!HttpMethods.IsHead(method))
        {
            await context.Response.Body.WriteAsync(answer, context.RequestAborted);
        }
    }

    /// <summary>A bucket-level GET with the <c>uploads</c> sub-resource.</summary>
    private static bool IsListUploads(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q > 0 && target[..q].Trim('/').IndexOf('/', StringComparison.Ordinal) < 0
            && target[(q + 1)..].Split('&').Any(p => p == "uploads" || p.StartsWith("uploads=", StringComparison.Ordinal));
    }

    private string RewriteUploads(string xml, IQueryCollection query)
    {
        var doc = XDocument.Parse(xml);
        var root = doc.Root!;
        var ns = root.Name.Namespace;
        var uploads = root.Elements(ns + "Upload").ToList();
        foreach (var u in uploads)
        {
            if (Initiated.TryGetValue(u.Element(ns + "UploadId")!.Value, out var t))
            {
                u.Element(ns + "Initiated")!.Value = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }
        }
        if (UploadsPageSize is not { } size)
        {
            return doc.Declaration + doc.ToString(SaveOptions.DisableFormatting);
        }
        string Key(XElement u) => u.Element(ns + "Key")!.Value;
        string Id(XElement u) => u.Element(ns + "UploadId")!.Value;
        var keyMarker = query["key-marker"].ToString();
        var idMarker = query["upload-id-marker"].ToString();
        var sorted = uploads.OrderBy(Key, StringComparer.Ordinal).ThenBy(Id, StringComparer.Ordinal)
            .Where(u => keyMarker.Length == 0 || string.CompareOrdinal(Key(u), keyMarker) > 0
                || (Key(u) == keyMarker && idMarker.Length > 0 && string.CompareOrdinal(Id(u), idMarker) > 0))
            .ToList();
        var page = sorted.Take(size).ToList();
        uploads.ForEach(u => u.Remove());
        root.Element(ns + "IsTruncated")!.Value = sorted.Count > size ? "true" : "false";
        root.Element(ns + "MaxUploads")!.Value = size.ToString(CultureInfo.InvariantCulture);
        if (sorted.Count > size)
        {
            root.Add(new XElement(ns + "NextKeyMarker", Key(page[^1])), new XElement(ns + "NextUploadIdMarker", Id(page[^1])));
        }
        root.Add(page);
        return doc.Declaration + doc.ToString(SaveOptions.DisableFormatting);
    }
}
