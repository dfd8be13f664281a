using System.Globalization;
using Microsoft.AspNetCore.Http;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Http;

internal sealed partial class RegistryApi
{
    private async Task BlobAsync(HttpContext context, string method, string name, string reference, CancellationToken ct)
    {
        RequireMethod(method, "GET", "HEAD", "DELETE");
        var isDelete = HttpMethods.IsDelete(method);
        await _access.RequireAsync(context, name, isDelete ? "delete" : "pull", ct).ConfigureAwait(false);
        var digest = ParseDigest(reference);
        if (isDelete)
        {
            if (!await _repos.UnlinkBlobAsync(name, digest, ct).ConfigureAwait(false))
            {
                throw new RegistryException(RegistryErrorKind.BlobUnknown, "blob unknown to registry", digest.Value);
            }
            Empty(context, 202);
            return;
        }
        var info = await _repos.IsBlobLinkedAsync(name, digest, ct).ConfigureAwait(false)
            ? await _blobs.StatAsync(digest, ct).ConfigureAwait(false)
            : null;
        if (info is null)
        {
            throw new RegistryException(RegistryErrorKind.BlobUnknown, "blob unknown to registry", digest.Value);
        }
        var response = context.Response;
        var headers = response.Headers;
        headers["Docker-Content-Digest"] = digest.Value;
        headers.ETag = "\"" + digest.Value + "\"";
        headers.AcceptRanges = "bytes";
        headers.CacheControl = "max-age=31536000";
        response.ContentType = "application/octet-stream";
        long offset = 0;
        var length = info.Size;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range)
        {
            if (!TryParseRange(range, info.Size, out offset, out length))
            {
                headers.ContentRange = "bytes */" + info.Size.ToString(CultureInfo.InvariantCulture);
                throw new RegistryException(RegistryErrorKind.RangeNotSatisfiable, "requested range not satisfiable", range);
            }
            response.StatusCode = 206;
            headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{offset + length - 1}/{info.Size}");
        }
        else
        {
            response.StatusCode = 200;
        }
        response.ContentLength = length;
        if (HttpMethods.IsHead(method) || length == 0)
        {
            return;
        }
        if (info.LocalPath is { } path)
        {
            await FileBody.SendAsync(response, path, offset, length, ct).ConfigureAwait(false);
            return;
        }
        var stream = await _blobs.OpenReadAsync(digest, ct).ConfigureAwait(false)
            ?? throw new RegistryException(RegistryErrorKind.BlobUnknown, "blob unknown to registry", digest.Value);
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(offset, SeekOrigin.Begin);
            await StreamCopy.CopyAsync(stream, response.Body, length, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One range of RFC 9110 form: <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> (the
    /// last n bytes). Several ranges at once are not served (a client asking for them is refused).
    /// </summary>
    internal static bool TryParseRange(string header, long size, out long offset, out long length)
    {
        offset = 0;
        length = 0;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || spec.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix <= 0 || size == 0)
            {
                return false;
            }
            length = Math.Min(suffix, size);
            offset = size - length;
            return true;
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset >= size)
        {
            return false;
        }
        var end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < offset)
            {
                return false;
            }
            end = Math.Min(end, size - 1);
        }
        length = end - offset + 1;
        return true;
    }
}
