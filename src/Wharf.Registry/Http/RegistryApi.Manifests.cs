using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Wharf.Oci;
using Wharf.Registry.Errors;
using Wharf.Registry.Manifests;

namespace Wharf.Registry.Http;

internal sealed partial class RegistryApi
{
    private async Task ManifestAsync(HttpContext context, string method, string name, string reference, CancellationToken ct)
    {
        RequireMethod(method, "GET", "HEAD", "PUT", "DELETE");
        var byDigest = reference.Contains(':', StringComparison.Ordinal);
        if (!byDigest && !RepositoryName.IsValidTag(reference))
        {
            throw new RegistryException(RegistryErrorKind.TagInvalid, "manifest tag is invalid", reference);
        }
        switch (method.ToUpperInvariant())
        {
            case "PUT":
                await _access.RequireAsync(context, name, "push", ct).ConfigureAwait(false);
                await PutManifestAsync(context, name, reference, byDigest, ct).ConfigureAwait(false);
                break;
            case "DELETE":
                await _access.RequireAsync(context, name, "delete", ct).ConfigureAwait(false);
                await DeleteManifestAsync(context, name, reference, byDigest, ct).ConfigureAwait(false);
                break;
            default:
                await _access.RequireAsync(context, name, "pull", ct).ConfigureAwait(false);
                await GetManifestAsync(context, name, reference, byDigest, ct).ConfigureAwait(false);
                break;
        }
    }

    private async Task<Digest> ResolveAsync(string name, string reference, bool byDigest, CancellationToken ct)
    {
        if (byDigest)
        {
            return ParseDigest(reference);
        }
        if (await _repos.ResolveTagAsync(name, reference, ct).ConfigureAwait(false) is { } d)
        {
            return d;
        }
        if (!await _repos.ExistsAsync(name, ct).ConfigureAwait(false))
        {
            throw new RegistryException(RegistryErrorKind.NameUnknown, "repository name not known to registry", name);
        }
        throw new RegistryException(RegistryErrorKind.ManifestUnknown, "manifest unknown", reference);
    }

    private async Task<(string MediaType, byte[] Bytes)> LoadManifestAsync(string name, Digest digest, CancellationToken ct)
    {
        var mediaType = await _repos.GetManifestMediaTypeAsync(name, digest, ct).ConfigureAwait(false);
        if (mediaType is null)
        {
            if (!await _repos.ExistsAsync(name, ct).ConfigureAwait(false))
            {
                throw new RegistryException(RegistryErrorKind.NameUnknown, "repository name not known to registry", name);
            }
            throw new RegistryException(RegistryErrorKind.ManifestUnknown, "manifest unknown", digest.Value);
        }
        if (!_manifestCache.TryGet(digest, out var bytes))
        {
            bytes = await _blobs.ReadAllAsync(digest, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.ManifestUnknown, "manifest unknown", digest.Value);
            _manifestCache.Add(digest, bytes);
        }
        return (mediaType, bytes);
    }

    private async Task GetManifestAsync(HttpContext context, string name, string reference, bool byDigest, CancellationToken ct)
    {
        var digest = await ResolveAsync(name, reference, byDigest, ct).ConfigureAwait(false);
        var (mediaType, bytes) = await LoadManifestAsync(name, digest, ct).ConfigureAwait(false);
        var headers = context.Response.Headers;
        headers["Docker-Content-Digest"] = digest.Value;
        headers.ETag = "\"" + digest.Value + "\"";
        await WriteJsonRawAsync(context, 200, bytes, ct, mediaType).ConfigureAwait(false);
    }

    private async Task PutManifestAsync(HttpContext context, string name, string reference, bool byDigest, CancellationToken ct)
    {
        var bytes = await ReadLimitedAsync(context.Request, _maxManifestBytes, ct).ConfigureAwait(false);
        var info = ManifestParser.Parse(bytes, context.Request.ContentType);
        Digest digest;
        string? tag = null;
        if (byDigest)
        {
            var claimed = ParseDigest(reference);
            digest = Compute(claimed.Algorithm, bytes);
            if (digest != claimed)
            {
                throw new RegistryException(RegistryErrorKind.DigestInvalid, "manifest digest did not match the reference", claimed.Value);
            }
        }
        else
        {
            tag = reference;
            digest = Compute(Digest.Sha256, bytes);
        }
        foreach (var blob in info.Blobs)
        {
            if (!await _repos.IsBlobLinkedAsync(name, blob, ct).ConfigureAwait(false) || await _blobs.StatAsync(blob, ct).ConfigureAwait(false) is null)
            {
                throw new RegistryException(RegistryErrorKind.ManifestBlobUnknown, "blob unknown to registry", blob.Value);
            }
        }
        foreach (var child in info.Manifests)
        {
            if (await _repos.GetManifestMediaTypeAsync(name, child, ct).ConfigureAwait(false) is null)
            {
                throw new RegistryException(RegistryErrorKind.ManifestBlobUnknown, "manifest unknown to registry", child.Value);
            }
        }
        await _blobs.PutAsync(digest, bytes, ct).ConfigureAwait(false);
        await _repos.PutManifestAsync(name, digest, info.MediaType, tag, info.Subject, ct).ConfigureAwait(false);
        var headers = context.Response.Headers;
        headers.Location = $"/v2/{name}/manifests/{digest.Value}";
        headers["Docker-Content-Digest"] = digest.Value;
        if (info.Subject is { } subject)
        {
            headers["OCI-Subject"] = subject.Value;
        }
        Empty(context, 201);
    }

    private async Task DeleteManifestAsync(HttpContext context, string name, string reference, bool byDigest, CancellationToken ct)
    {
        if (!byDigest)
        {
            if (!await _repos.DeleteTagAsync(name, reference, ct).ConfigureAwait(false))
            {
                throw new RegistryException(RegistryErrorKind.ManifestUnknown, "manifest unknown", reference);
            }
            Empty(context, 202);
            return;
        }
        var digest = ParseDigest(reference);
        var (mediaType, bytes) = await LoadManifestAsync(name, digest, ct).ConfigureAwait(false);
        Digest? subject = null;
        try
        {
            subject = ManifestParser.Parse(bytes, mediaType).Subject;
        }
        catch (RegistryException)
        {
            // Stored bytes were checked when pushed; an unreadable one still gets deleted.
        }
        if (!await _repos.DeleteManifestAsync(name, digest, subject, ct).ConfigureAwait(false))
        {
            throw new RegistryException(RegistryErrorKind.ManifestUnknown, "manifest unknown", digest.Value);
        }
        Empty(context, 202);
    }

    internal static Digest Compute(string algorithm, ReadOnlySpan<byte> bytes) =>
        algorithm == Digest.Sha512
            ? Digest.Parse("sha512:" + Convert.ToHexStringLower(SHA512.HashData(bytes)))
            : Digest.ComputeSha256(bytes);

    /// <summary>Reads a request body of at most <paramref name="limit"/> bytes; more is a 413, before or while reading.</summary>
    private static async Task<byte[]> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw new RegistryException(RegistryErrorKind.ManifestTooLarge, $"manifest exceeds the limit of {limit} bytes");
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                throw new RegistryException(RegistryErrorKind.ManifestTooLarge, $"manifest exceeds the limit of {limit} bytes");
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
