using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Wharf.Oci;
using Wharf.Registry.Auth;
using Wharf.Registry.Errors;
using Wharf.Registry.Storage;
using Wharf.Registry.Wire;

namespace Wharf.Registry.Http;

/// <summary>
/// The OCI Distribution API (v1.1) over one storage: a single request delegate that routes by
/// hand, because repository names hold slashes and the endpoint is only known from the path's
/// end. Partial files hold the blob, upload, manifest and listing endpoints.
/// </summary>
internal sealed partial class RegistryApi
{
    private readonly IBlobStore _blobs;
    private readonly IUploadStore _uploads;
    private readonly IRepositoryStore _repos;
    private readonly IAccessController _access;
    private readonly ManifestCache _manifestCache = new();
    private readonly long _maxManifestBytes;

    public RegistryApi(IBlobStore blobs, IUploadStore uploads, IRepositoryStore repos, IAccessController access, long maxManifestBytes)
    {
        _blobs = blobs;
        _uploads = uploads;
        _repos = repos;
        _access = access;
        _maxManifestBytes = maxManifestBytes;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        try
        {
            var route = Route.Parse(context.Request.Path.Value ?? "/");
            var method = context.Request.Method;
            if (route.Kind is not (RouteKind.Unknown or RouteKind.Base or RouteKind.Catalog or RouteKind.Search or RouteKind.Token) && !RepositoryName.IsValid(route.Name))
            {
                throw new RegistryException(RegistryErrorKind.NameInvalid, "invalid repository name", route.Name);
            }
            switch (route.Kind)
            {
                case RouteKind.Base:
                    await _access.RequireAsync(context, null, null, ct).ConfigureAwait(false);
                    RequireMethod(method, "GET", "HEAD");
                    await WriteJsonRawAsync(context, 200, "{}"u8.ToArray(), ct).ConfigureAwait(false);
                    break;
                case RouteKind.Token:
                    RequireMethod(method, "GET", "POST");
                    await _access.IssueTokenAsync(context, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Catalog:
                    RequireMethod(method, "GET");
                    await _access.RequireAsync(context, "registry:catalog", "*", ct).ConfigureAwait(false);
                    await CatalogAsync(context, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Search:
                    // No gate: the results are filtered by what the caller may pull.
                    RequireMethod(method, "GET");
                    await SearchAsync(context, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Tags:
                    RequireMethod(method, "GET");
                    await _access.RequireAsync(context, route.Name, "pull", ct).ConfigureAwait(false);
                    await TagsAsync(context, route.Name, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Referrers:
                    RequireMethod(method, "GET");
                    await _access.RequireAsync(context, route.Name, "pull", ct).ConfigureAwait(false);
                    await ReferrersAsync(context, route.Name, route.Segment, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Blob:
                    await BlobAsync(context, method, route.Name, route.Segment, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Upload:
                    await UploadAsync(context, method, route.Name, route.Segment, ct).ConfigureAwait(false);
                    break;
                case RouteKind.Manifest:
                    await ManifestAsync(context, method, route.Name, route.Segment, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new RegistryException(RegistryErrorKind.RouteUnknown, "not found");
            }
        }
        catch (RegistryException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ct.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (StorageUnavailableException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, new RegistryException(RegistryErrorKind.StorageUnavailable, "storage unavailable", e.Message), ct).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // A body that broke off or exceeded its declared length: what arrived is kept, the request fails.
            await WriteErrorAsync(context, new RegistryException(RegistryErrorKind.BlobUploadInvalid, e.Message), ct).ConfigureAwait(false);
        }
    }

    private static void RequireMethod(string method, params ReadOnlySpan<string> allowed)
    {
        foreach (var m in allowed)
        {
            if (string.Equals(method, m, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
        throw new RegistryException(RegistryErrorKind.MethodNotAllowed, $"method {method} not allowed here");
    }

    private static Digest ParseDigest(string value)
    {
        if (!Digest.TryParse(value, out var d))
        {
            throw new RegistryException(RegistryErrorKind.DigestInvalid, "provided digest is invalid or unsupported", value);
        }
        return d;
    }

    internal static async Task WriteErrorAsync(HttpContext context, RegistryException e, CancellationToken ct)
    {
        var (code, status) = RegistryErrors.Describe(e.Kind);
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody([new ErrorEntry(code, e.Message, e.Detail)]), RegistryJsonContext.Default.ErrorBody);
        context.Response.Headers.Remove("Location");
        context.Response.Headers.Remove("Docker-Content-Digest");
        await WriteJsonRawAsync(context, status, body, ct).ConfigureAwait(false);
    }

    private static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> info, CancellationToken ct, string contentType = "application/json") =>
        WriteJsonRawAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(value, info), ct, contentType);

    private static async Task WriteJsonRawAsync(HttpContext context, int status, byte[] body, CancellationToken ct, string contentType = "application/json")
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, ct).ConfigureAwait(false);
        }
    }

    private static void Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
    }
}
