using System.Collections.Concurrent;
using System.Net;

namespace Wharf.Integration.Tests;

/// <summary>
/// A loopback HTTP proxy in front of a registry that misbehaves on purpose: cuts the first blob
/// response midway, corrupts blob bytes, or serves a malformed manifest. It records each request's
/// path and Range header so a test can see what the client asked for.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    private readonly string _target;
    private readonly Task _loop;
    private int _cuts;

    public FaultProxy(string targetHost)
    {
        _target = "http://" + targetHost;
        Port = LocalRegistry.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public enum Fault
    {
        None,
        CutFirstBlob,

        /// <summary>Every blob response bigger than 1000 bytes stops halfway.</summary>
        CutEveryBlob,

        /// <summary>Every blob GET is answered 503 with a spec error body.</summary>
        ServerErrorOnBlobs,
        CorruptBlobs,
        MalformedManifest,
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Fault Mode { get; set; }

    /// <summary>(path, Range header or null) of every request.</summary>
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        try
        {
            var path = ctx.Request.Url!.PathAndQuery;
            Requests.Enqueue((path, ctx.Request.Headers["Range"]));
            using var req = new HttpRequestMessage(new HttpMethod(ctx.Request.HttpMethod), _target + path);
            foreach (var h in new[] { "Accept", "Range", "Authorization" })
            {
                if (ctx.Request.Headers[h] is { } v)
                {
                    req.Headers.TryAddWithoutValidation(h, v);
                }
            }

            if (Mode == Fault.ServerErrorOnBlobs && path.Contains("/blobs/sha256:", StringComparison.Ordinal) && ctx.Request.HttpMethod == "GET")
            {
                var error = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"service unavailable\"}]}"u8.ToArray();
                ctx.Response.StatusCode = 503;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength64 = error.Length;
                await ctx.Response.OutputStream.WriteAsync(error);
                ctx.Response.Close();
                return;
            }

            using var resp = await _upstream.SendAsync(req);
            var body = await resp.Content.ReadAsByteArrayAsync();
            var isBlob = path.Contains("/blobs/sha256:", StringComparison.Ordinal) && ctx.Request.HttpMethod == "GET" && resp.IsSuccessStatusCode;
            var isManifest = path.Contains("/manifests/", StringComparison.Ordinal) && ctx.Request.HttpMethod == "GET" && resp.IsSuccessStatusCode;
            if (Mode == Fault.MalformedManifest && isManifest)
            {
                body = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"digest\":\"nope\"},\"layers\":[{"u8.ToArray();
            }

            if (Mode == Fault.CorruptBlobs && isBlob && body.Length > 100)
            {
                body[body.Length / 2] ^= 0xff;
            }

            ctx.Response.StatusCode = (int)resp.StatusCode;
            foreach (var h in resp.Headers.Concat(resp.Content.Headers))
            {
                if (h.Key is "Content-Length" or "Transfer-Encoding" or "Connection")
                {
                    continue;
                }

                foreach (var v in h.Value)
                {
                    ctx.Response.AppendHeader(h.Key, v);
                }
            }

            if (Mode == Fault.MalformedManifest && isManifest)
            {
                ctx.Response.Headers.Remove("Docker-Content-Digest");
            }

            ctx.Response.ContentLength64 = body.Length;
            if (isBlob && body.Length > 1000 && ((Mode == Fault.CutFirstBlob && Interlocked.Increment(ref _cuts) == 1) || Mode == Fault.CutEveryBlob))
            {
                await ctx.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                await ctx.Response.OutputStream.FlushAsync();
                ctx.Response.Abort();
                return;
            }

            await ctx.Response.OutputStream.WriteAsync(body);
            ctx.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            ctx.Response.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _upstream.Dispose();
    }
}
