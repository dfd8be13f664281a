using System.Text.Json;
using Wharf.Oci;
using Wharf.Oci.Image;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Manifests;

/// <summary>Reads pushed manifests (OCI manifest and index, Docker schema2 manifest and manifest list) without re-serializing them.</summary>
internal static class ManifestParser
{
    public static bool IsIndexType(string mediaType) => mediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;

    public static bool IsSupported(string mediaType) =>
        mediaType is MediaTypes.OciManifest or MediaTypes.OciIndex or MediaTypes.DockerManifest or MediaTypes.DockerManifestList;

    /// <summary>
    /// Parses and checks <paramref name="bytes"/>. The media type is the request's Content-Type
    /// when given, else the document's own <c>mediaType</c>; when both are given they must agree.
    /// </summary>
    public static ManifestInfo Parse(ReadOnlyMemory<byte> bytes, string? contentType)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw Invalid("manifest is not valid JSON: " + e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("manifest is not a JSON object");
            }
            if (!root.TryGetProperty("schemaVersion", out var sv) || sv.ValueKind != JsonValueKind.Number || !sv.TryGetInt32(out var version) || version != 2)
            {
                throw Invalid("unsupported manifest schemaVersion (only 2 is accepted)");
            }
            var declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            var mediaType = NormalizeContentType(contentType) ?? declared;
            if (mediaType is null)
            {
                // An OCI manifest or index may omit mediaType; its shape tells which it is.
                mediaType = root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            }
            if (declared is not null && declared != mediaType)
            {
                throw Invalid($"manifest mediaType \"{declared}\" does not match Content-Type \"{mediaType}\"");
            }
            if (!IsSupported(mediaType))
            {
                throw Invalid($"unsupported manifest media type \"{mediaType}\"");
            }
            var isIndex = IsIndexType(mediaType);
            var blobs = new List<Digest>();
            var manifests = new List<Digest>();
            string? configMediaType = null;
            if (isIndex)
            {
                if (!root.TryGetProperty("manifests", out var list) || list.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid("index has no manifests array");
                }
                foreach (var d in list.EnumerateArray())
                {
                    manifests.Add(DescriptorDigest(d));
                }
            }
            else
            {
                if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid("manifest has no config descriptor");
                }
                blobs.Add(DescriptorDigest(config));
                configMediaType = config.TryGetProperty("mediaType", out var cmt) && cmt.ValueKind == JsonValueKind.String ? cmt.GetString() : null;
                if (root.TryGetProperty("layers", out var layers))
                {
                    if (layers.ValueKind != JsonValueKind.Array)
                    {
                        throw Invalid("manifest layers is not an array");
                    }
                    foreach (var layer in layers.EnumerateArray())
                    {
                        var digest = DescriptorDigest(layer);
                        // Foreign (non-distributable) layers live elsewhere, named by their urls.
                        if (!IsForeign(layer))
                        {
                            blobs.Add(digest);
                        }
                    }
                }
                else if (mediaType == MediaTypes.DockerManifest)
                {
                    throw Invalid("manifest has no layers");
                }
            }
            Digest? subject = null;
            if (root.TryGetProperty("subject", out var subj) && subj.ValueKind != JsonValueKind.Null)
            {
                subject = DescriptorDigest(subj);
            }
            var artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            JsonElement? annotations = root.TryGetProperty("annotations", out var ann) && ann.ValueKind == JsonValueKind.Object ? ann.Clone() : null;
            return new ManifestInfo(mediaType, isIndex, blobs, manifests, subject, artifactType, configMediaType, annotations);
        }
    }

    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }
        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semi >= 0 ? contentType[..semi] : contentType).Trim();
        // Clients that do not know better send a generic type; the document's own mediaType decides then.
        return bare is "application/json" or "application/octet-stream" or "" ? null : bare;
    }

    private static bool IsForeign(JsonElement descriptor) =>
        descriptor.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String
        && (mt.GetString()!.Contains(".foreign.", StringComparison.Ordinal) || mt.GetString()!.Contains("nondistributable", StringComparison.Ordinal));

    private static Digest DescriptorDigest(JsonElement descriptor)
    {
        if (descriptor.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("descriptor is not an object");
        }
        if (!descriptor.TryGetProperty("digest", out var d) || d.ValueKind != JsonValueKind.String || !Digest.TryParse(d.GetString(), out var digest))
        {
            throw Invalid("descriptor has no valid digest");
        }
        if (!descriptor.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var n) || n < 0)
        {
            throw Invalid("descriptor has no valid size");
        }
        return digest;
    }

    private static RegistryException Invalid(string message) => new(RegistryErrorKind.ManifestInvalid, message);
}
