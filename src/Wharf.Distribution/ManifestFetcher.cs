using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Distribution;

/// <summary>Gets manifests and indexes, checks their digests, and picks a platform from an index.</summary>
internal static class ManifestFetcher
{
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    private static readonly string[] Accepted =
    [
        MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.DockerManifest, MediaTypes.OciManifest,
    ];

    /// <summary>GET (or HEAD) a manifest by tag or digest; the body must hash to the asked digest.</summary>
    public static async Task<FetchedManifest> FetchAsync(RegistrySession session, string reference, CancellationToken cancellationToken)
    {
        using var response = await session.SendAsync(
            () =>
            {
                var r = new HttpRequestMessage(HttpMethod.Get, session.Url("manifests/" + reference));
                foreach (var a in Accepted)
                {
                    r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(a));
                }

                return r;
            },
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentLength > MaxManifestBytes)
        {
            throw WharfException.Invalid($"manifest {reference} is too large ({response.Content.Headers.ContentLength} bytes)");
        }

        var bytes = await ReadLimitedAsync(response, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        var digest = Digest.ComputeSha256(bytes);
        if (Digest.TryParse(reference, out var asked))
        {
            if (asked.Algorithm == Digest.Sha256 && asked != digest)
            {
                throw WharfException.Invalid($"manifest verification failed for digest {asked}");
            }

            digest = asked;
        }
        else if (response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && Digest.TryParse(values.FirstOrDefault(), out var header) && header.Algorithm == Digest.Sha256 && header != digest)
        {
            throw WharfException.Invalid($"manifest verification failed for digest {header}");
        }

        var mediaType = MediaTypeOf(bytes, response.Content.Headers.ContentType?.MediaType, reference);
        return new FetchedManifest(bytes, mediaType, digest);
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        await using var s = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await s.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > limit)
            {
                throw WharfException.Invalid($"manifest is too large (over {limit} bytes)");
            }
        }

        return ms.ToArray();
    }

    /// <summary>The body's own mediaType wins; else the Content-Type; else the shape decides.</summary>
    private static string MediaTypeOf(byte[] bytes, string? contentType, string reference)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid($"invalid manifest for {reference}: not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw WharfException.Invalid($"invalid manifest for {reference}: not a JSON object");
            }

            if (root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.GetInt32() == 1)
            {
                throw WharfException.Invalid($"unsupported manifest format for {reference}: Docker Image manifest schema 1 is deprecated and not supported");
            }

            if (root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String && mt.GetString() is { Length: > 0 } m && Known(m))
            {
                return m;
            }

            if (contentType is not null && Known(contentType))
            {
                return contentType;
            }

            if (root.TryGetProperty("manifests", out _))
            {
                return MediaTypes.OciIndex;
            }

            if (root.TryGetProperty("config", out _) && root.TryGetProperty("layers", out _))
            {
                return MediaTypes.OciManifest;
            }

            throw WharfException.Invalid($"invalid manifest for {reference}: unknown media type {contentType ?? "(none)"}");
        }
    }

    private static bool Known(string mediaType) => Accepted.Contains(mediaType, StringComparer.Ordinal);

    public static ImageIndex ParseIndex(FetchedManifest m) => Parse(m, OciJsonContext.Default.ImageIndex);

    public static Manifest ParseManifest(FetchedManifest m)
    {
        var manifest = Parse(m, OciJsonContext.Default.Manifest);
        if (!Digest.TryParse(manifest.Config.Digest, out _) || manifest.Layers.Any(l => !Digest.TryParse(l.Digest, out _)))
        {
            throw WharfException.Invalid($"invalid manifest {m.Digest}: a descriptor has an invalid digest");
        }

        if (manifest.Layers.Any(l => l.Size < 0) || manifest.Config.Size is < 0 or > ManifestFetcher.MaxManifestBytes * 2)
        {
            throw WharfException.Invalid($"invalid manifest {m.Digest}: a descriptor has an invalid size");
        }

        return manifest;
    }

    private static T Parse<T>(FetchedManifest m, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(m.Bytes, type) ?? throw WharfException.Invalid($"invalid manifest {m.Digest}: empty");
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid($"invalid manifest {m.Digest}: {e.Message}", e);
        }
    }

    /// <summary>The entry for os/arch[/variant]; attestation entries (platform unknown) never match.</summary>
    public static Descriptor PickPlatform(ImageIndex index, string os, string arch, string? variant)
    {
        var candidates = index.Manifests
            .Where(m => m.Platform is { } p && p.Os == os && p.Architecture == arch)
            .Where(m => variant is null || m.Platform!.Variant == variant || (arch == "arm64" && variant == "v8" && m.Platform!.Variant is null))
            .ToList();
        if (variant is null && arch == "arm64")
        {
            candidates = [.. candidates.OrderBy(m => m.Platform!.Variant is null or "v8" ? 0 : 1)];
        }

        var platform = variant is null ? $"{os}/{arch}" : $"{os}/{arch}/{variant}";
        return candidates.FirstOrDefault()
            ?? throw WharfException.NotFound($"no matching manifest for {platform} in the manifest list entries");
    }

    public static bool IsNotFound(RegistryException e) => e.Status == HttpStatusCode.NotFound;
}
