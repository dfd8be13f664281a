using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Wharf.Registry.Tests;

/// <summary>Writes a one-layer OCI image layout holding a static busybox, built locally (no network).</summary>
internal static class OciLayout
{
    public const string Busybox = "/bin/busybox";

    /// <returns>The layer's bytes (an uncompressed tar), to compare with what comes back.</returns>
    public static byte[] Write(string dir, string tag)
    {
        Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256"));
        var layerStream = new MemoryStream();
        using (var tar = new TarWriter(layerStream, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            tar.WriteEntry(Busybox, "bin/busybox");
        }
        var layer = layerStream.ToArray();
        var diffId = Blob(dir, layer);
        var config = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            architecture = "amd64",
            os = "linux",
            config = new { Cmd = new[] { "/bin/busybox", "sh" } },
            rootfs = new { type = "layers", diff_ids = new[] { diffId } },
        }));
        var configDigest = Blob(dir, config);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = config.Length, digest = configDigest },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", size = layer.Length, digest = diffId } },
        }));
        var manifestDigest = Blob(dir, manifest);
        File.WriteAllText(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(dir, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new
                {
                    mediaType = "application/vnd.oci.image.manifest.v1+json",
                    size = manifest.Length,
                    digest = manifestDigest,
                    annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        }));
        return layer;
    }

    private static string Blob(string dir, byte[] data)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(data));
        File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", hex), data);
        return "sha256:" + hex;
    }
}
