using System.Globalization;
using Microsoft.AspNetCore.Http;
using Wharf.Oci;
using Wharf.Registry.Errors;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Http;

internal sealed partial class RegistryApi
{
    private async Task UploadAsync(HttpContext context, string method, string name, string id, CancellationToken ct)
    {
        await _access.RequireAsync(context, name, "push", ct).ConfigureAwait(false);
        if (id.Length == 0)
        {
            RequireMethod(method, "POST");
            await StartUploadAsync(context, name, ct).ConfigureAwait(false);
            return;
        }
        RequireMethod(method, "GET", "PATCH", "PUT", "DELETE");
        var status = await _uploads.GetAsync(id, ct).ConfigureAwait(false);
        if (status is null || status.Repository != name)
        {
            throw new RegistryException(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry", id);
        }
        switch (method.ToUpperInvariant())
        {
            case "GET":
                SessionHeaders(context, status.Id, name, status.Size);
                Empty(context, 204);
                break;
            case "DELETE":
                if (!await _uploads.CancelAsync(id, ct).ConfigureAwait(false))
                {
                    throw new RegistryException(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry", id);
                }
                Empty(context, 204);
                break;
            case "PATCH":
                {
                    var size = await _uploads.AppendAsync(id, ChunkStart(context), context.Request.Body, ct).ConfigureAwait(false);
                    SessionHeaders(context, id, name, size);
                    Empty(context, 202);
                    break;
                }
            default:
                {
                    var digest = RequiredDigest(context);
                    if (HasBody(context.Request))
                    {
                        await _uploads.AppendAsync(id, ChunkStart(context), context.Request.Body, ct).ConfigureAwait(false);
                    }
                    await CommitAsync(context, name, id, digest, ct).ConfigureAwait(false);
                    break;
                }
        }
    }

    private async Task StartUploadAsync(HttpContext context, string name, CancellationToken ct)
    {
        var query = context.Request.Query;
        if (query["mount"].ToString() is { Length: > 0 } mount && query["from"].ToString() is { Length: > 0 } from)
        {
            var digest = ParseDigest(mount);
            // A mount reads from the other repository, so it needs pull rights there; without them,
            // or when the blob is not there, the spec's fallback is a plain upload session.
            if (RepositoryName.IsValid(from)
                && await _access.AllowsAsync(context, from, "pull", ct).ConfigureAwait(false)
                && await _repos.IsBlobLinkedAsync(from, digest, ct).ConfigureAwait(false)
                && await _blobs.StatAsync(digest, ct).ConfigureAwait(false) is not null)
            {
                await _repos.LinkBlobAsync(name, digest, ct).ConfigureAwait(false);
                BlobCreated(context, name, digest);
                return;
            }
        }
        if (query["digest"].ToString() is { Length: > 0 } single)
        {
            // Monolithic upload in one POST.
            var digest = ParseDigest(single);
            var session = await _uploads.StartAsync(name, ct).ConfigureAwait(false);
            try
            {
                await _uploads.AppendAsync(session.Id, 0, context.Request.Body, ct).ConfigureAwait(false);
            }
            catch
            {
                await _uploads.CancelAsync(session.Id, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            await CommitAsync(context, name, session.Id, digest, ct).ConfigureAwait(false);
            return;
        }
        var started = await _uploads.StartAsync(name, ct).ConfigureAwait(false);
        SessionHeaders(context, started.Id, name, 0);
        Empty(context, 202);
    }

    private async Task CommitAsync(HttpContext context, string name, string id, Digest digest, CancellationToken ct)
    {
        await _uploads.CommitAsync(id, digest, ct).ConfigureAwait(false);
        await _repos.LinkBlobAsync(name, digest, ct).ConfigureAwait(false);
        BlobCreated(context, name, digest);
    }

    private static void BlobCreated(HttpContext context, string name, Digest digest)
    {
        context.Response.Headers.Location = $"/v2/{name}/blobs/{digest.Value}";
        context.Response.Headers["Docker-Content-Digest"] = digest.Value;
        Empty(context, 201);
    }

    private static void SessionHeaders(HttpContext context, string id, string name, long size)
    {
        var headers = context.Response.Headers;
        headers.Location = $"/v2/{name}/blobs/uploads/{id}";
        // Inclusive end, as docker/distribution reports it ("0-0" for an empty session).
        headers.Range = "0-" + Math.Max(0, size - 1).ToString(CultureInfo.InvariantCulture);
        headers["Docker-Upload-UUID"] = id;
    }

    private static Digest RequiredDigest(HttpContext context) =>
        context.Request.Query["digest"].ToString() is { Length: > 0 } value
            ? ParseDigest(value)
            : throw new RegistryException(RegistryErrorKind.DigestInvalid, "digest parameter is required to complete an upload");

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>
    /// Where a chunk says it starts (<c>Content-Range: start-end</c>), or null for a streamed
    /// chunk that simply goes on at the end.
    /// </summary>
    private static long? ChunkStart(HttpContext context)
    {
        var header = context.Request.Headers.ContentRange.ToString();
        if (header.Length == 0)
        {
            return null;
        }
        var spec = header.StartsWith("bytes", StringComparison.OrdinalIgnoreCase) ? header[5..].TrimStart(' ', '=') : header;
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            spec = spec[..slash];
        }
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            throw new RegistryException(RegistryErrorKind.UploadRangeInvalid, "invalid Content-Range", header);
        }
        if (context.Request.ContentLength is { } length && length != end - start + 1)
        {
            throw new RegistryException(RegistryErrorKind.UploadRangeInvalid, "Content-Range does not match Content-Length", header);
        }
        return start;
    }
}
