using System.Text.Json;
using Wharf.Distribution.Wire;
using Wharf.Oci;

namespace Wharf.Distribution;

/// <summary>
/// What pulls and pushes learned, for later pushes: for each layer (by diff ID) the registry
/// blobs that hold it compressed, and for each pulled image the exact manifest bytes. Files
/// are replaced atomically; a lost file only costs an upload.
/// </summary>
internal sealed class PullMetadata
{
    private readonly string _layers;
    private readonly string _manifests;
    private readonly Lock _lock = new();

    public PullMetadata(string root)
    {
        _layers = Path.Combine(root, "layers");
        _manifests = Path.Combine(root, "manifests");
        Directory.CreateDirectory(_layers);
        Directory.CreateDirectory(_manifests);
    }

    public IReadOnlyList<LayerSource> SourcesOf(Digest diffId)
    {
        var path = Path.Combine(_layers, diffId.Hex + ".json");
        lock (_lock)
        {
            try
            {
                return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), DistributionWireContext.Default.ListLayerSource) ?? [] : [];
            }
            catch (JsonException)
            {
                return [];
            }
        }
    }

    public void AddSource(Digest diffId, LayerSource source)
    {
        lock (_lock)
        {
            var list = SourcesOf(diffId).Where(s => !(s.Digest == source.Digest && s.Repository == source.Repository)).ToList();
            list.Insert(0, source);
            if (list.Count > 16)
            {
                list.RemoveRange(16, list.Count - 16);
            }

            Write(Path.Combine(_layers, diffId.Hex + ".json"), JsonSerializer.SerializeToUtf8Bytes(list, DistributionWireContext.Default.ListLayerSource));
        }
    }

    /// <summary>The digest of the gzip blob this daemon made for a layer, if any.</summary>
    public Digest? CompressedOf(Digest diffId)
    {
        var path = Path.Combine(_layers, diffId.Hex + ".gz");
        try
        {
            return Digest.TryParse(File.ReadAllText(path).Trim(), out var d) ? d : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void SetCompressed(Digest diffId, Digest blob)
    {
        lock (_lock)
        {
            Write(Path.Combine(_layers, diffId.Hex + ".gz"), System.Text.Encoding.UTF8.GetBytes(blob.Value));
        }
    }

    /// <summary>The manifest an image was pulled with (bytes and media type), if known.</summary>
    public (byte[] Bytes, string MediaType)? ManifestOf(Digest imageId)
    {
        var path = Path.Combine(_manifests, imageId.Hex);
        try
        {
            var mediaType = File.ReadAllText(path + ".type");
            return (File.ReadAllBytes(path), mediaType);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void SetManifest(Digest imageId, byte[] bytes, string mediaType)
    {
        var path = Path.Combine(_manifests, imageId.Hex);
        lock (_lock)
        {
            Write(path, bytes);
            Write(path + ".type", System.Text.Encoding.UTF8.GetBytes(mediaType));
        }
    }

    private static void Write(string path, byte[] bytes)
    {
        var tmp = path + ".tmp" + Environment.CurrentManagedThreadId;
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }
}
