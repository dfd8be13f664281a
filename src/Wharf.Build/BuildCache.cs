using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wharf.Core.Build;

namespace Wharf.Build;

/// <summary>
/// The layer cache: step key (parent image, instruction as run, build args in effect, source
/// checksum) to the image the step produced. One small JSON file per key under the data root,
/// written atomically, so the cache survives a daemon restart; an entry whose image is gone is
/// a miss and is dropped.
/// </summary>
internal sealed class BuildCache
{
    private readonly string _root;
    private readonly Lock _lock = new();

    public BuildCache(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

    public static string Key(string parentImageId, string step, string extra)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(parentImageId + "\n" + step + "\n" + extra));
        return Convert.ToHexStringLower(bytes);
    }

    public string? Lookup(string key, Func<string, bool> imageExists, DateTimeOffset now)
    {
        var path = PathOf(key);
        lock (_lock)
        {
            var rec = Read(path);
            if (rec is null)
            {
                return null;
            }

            if (!imageExists(rec.ImageId))
            {
                File.Delete(path);
                return null;
            }

            Write(path, rec with { LastUsedAt = now, UsageCount = rec.UsageCount + 1 });
            return rec.ImageId;
        }
    }

    public void Store(string key, string imageId, string description, long size, DateTimeOffset now)
    {
        lock (_lock)
        {
            Write(PathOf(key), new BuildCacheRecord { Id = key, ImageId = imageId, Description = description, Size = size, CreatedAt = now, LastUsedAt = now, UsageCount = 0 });
        }
    }

    public IReadOnlyList<BuildCacheRecord> List()
    {
        lock (_lock)
        {
            return [.. Directory.EnumerateFiles(_root, "*.json").Select(Read).Where(r => r is not null).Select(r => r!).OrderBy(r => r.CreatedAt)];
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            File.Delete(PathOf(key));
        }
    }

    private string PathOf(string key) => Path.Combine(_root, key + ".json");

    private static BuildCacheRecord? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), BuildJsonContext.Default.BuildCacheRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Write(string path, BuildCacheRecord rec)
    {
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(rec, BuildJsonContext.Default.BuildCacheRecord));
        File.Move(tmp, path, overwrite: true);
    }
}
