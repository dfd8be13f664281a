using System.Text.Json;
using Wharf.Core.Content;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images;

/// <summary>
/// The image metadata store: image records (config blob + <c>images/&lt;hex&gt;.json</c>) and
/// the reference table (<c>repositories.json</c>). Everything is held in memory and every
/// change is written through atomically. Commit order is blobs → snapshots → image record →
/// references, so after a kill the store holds at most unreferenced content, which
/// <see cref="LoadAsync"/> collects.
/// </summary>
internal sealed class ImageStore
{
    private readonly string _imagesDir;
    private readonly string _refsFile;
    private readonly IContentStore _content;
    private readonly ISnapshotter _snapshots;
    private readonly Dictionary<Digest, ImageRecord> _images = [];
    private readonly SortedDictionary<string, Digest> _refs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ImageStore(string root, IContentStore content, ISnapshotter snapshots)
    {
        _imagesDir = Path.Combine(root, "images");
        _refsFile = Path.Combine(root, "repositories.json");
        _content = content;
        _snapshots = snapshots;
        Directory.CreateDirectory(_imagesDir);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _images.Count;
            }
        }
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        AtomicFile.CleanTemps(_imagesDir);
        AtomicFile.CleanTemps(Path.GetDirectoryName(_refsFile)!);
        foreach (var file in Directory.EnumerateFiles(_imagesDir, "*.json"))
        {
            var hex = Path.GetFileNameWithoutExtension(file);
            if (!Digest.TryParse("sha256:" + hex, out var id))
            {
                continue;
            }

            ImageRecord? rec = null;
            try
            {
                var meta = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), ChangesJsonContext.Default.ImageMeta);
                if (meta is not null && _content.Exists(id))
                {
                    var bytes = await _content.ReadAllAsync(id, cancellationToken).ConfigureAwait(false);
                    rec = BuildRecord(id, bytes, meta);
                }
            }
            catch (JsonException)
            {
                rec = null;
            }

            if (rec is null || !LayersPresent(rec))
            {
                // Half-committed or damaged: forget it; its content is collected below.
                File.Delete(file);
                continue;
            }

            _images[id] = rec;
        }

        if (File.Exists(_refsFile))
        {
            var refs = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(_refsFile, cancellationToken).ConfigureAwait(false), ChangesJsonContext.Default.DictionaryStringString) ?? [];
            foreach (var (name, id) in refs)
            {
                if (Digest.TryParse(id, out var d) && _images.ContainsKey(d))
                {
                    _refs[name] = d;
                }
            }
        }

        await CollectGarbageAsync(cancellationToken).ConfigureAwait(false);
    }

    public ImageRecord BuildRecord(Digest id, byte[] configBytes, ImageMeta meta)
    {
        var config = JsonSerializer.Deserialize(configBytes, OciJsonContext.Default.ImageConfig)
            ?? throw new JsonException("empty image config");
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        var chainIds = Digest.ChainIds(diffIds);
        long size = 0;
        foreach (var chain in chainIds)
        {
            var key = chain.Value;
            if (_snapshots.Exists(key))
            {
                size += _snapshots.GetSize(key);
            }
        }

        return new ImageRecord
        {
            Id = id,
            Config = config,
            DiffIds = diffIds,
            ChainIds = chainIds,
            Size = size,
            Parent = meta.Parent is { } p && Digest.TryParse(p, out var pd) ? pd : null,
            Added = meta.Added,
            LastTagTime = meta.LastTagTime,
        };
    }

    private bool LayersPresent(ImageRecord rec) => rec.ChainIds.All(c => _snapshots.Exists(c.Value));

    public void Put(ImageRecord rec)
    {
        var meta = new ImageMeta { Parent = rec.Parent?.Value, Added = rec.Added, LastTagTime = rec.LastTagTime };
        lock (_lock)
        {
            AtomicFile.Write(Path.Combine(_imagesDir, rec.Id.Hex + ".json"), JsonSerializer.SerializeToUtf8Bytes(meta, ChangesJsonContext.Default.ImageMeta));
            _images[rec.Id] = rec;
        }
    }

    public void Delete(Digest id)
    {
        lock (_lock)
        {
            _images.Remove(id);
            File.Delete(Path.Combine(_imagesDir, id.Hex + ".json"));
        }
    }

    public ImageRecord? Get(Digest id)
    {
        lock (_lock)
        {
            return _images.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<ImageRecord> All()
    {
        lock (_lock)
        {
            return [.. _images.Values];
        }
    }

    /// <summary>Finds images whose hex ID starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<ImageRecord> SearchPrefix(string prefix)
    {
        lock (_lock)
        {
            return [.. _images.Values.Where(i => i.Id.Hex.StartsWith(prefix, StringComparison.Ordinal))];
        }
    }

    public Digest? Resolve(string fullRef)
    {
        lock (_lock)
        {
            return _refs.TryGetValue(fullRef, out var d) ? d : null;
        }
    }

    /// <summary>Full references (e.g. <c>docker.io/library/busybox:latest</c>) pointing at the image.</summary>
    public IReadOnlyList<string> RefsOf(Digest id)
    {
        lock (_lock)
        {
            return [.. _refs.Where(kv => kv.Value == id).Select(kv => kv.Key)];
        }
    }

    /// <summary>Points <paramref name="fullRef"/> at <paramref name="id"/>; returns the image it pointed at before.</summary>
    public Digest? SetRef(string fullRef, Digest id)
    {
        lock (_lock)
        {
            _refs.TryGetValue(fullRef, out var old);
            _refs[fullRef] = id;
            SaveRefs();
            return old == default ? null : old;
        }
    }

    public bool RemoveRef(string fullRef)
    {
        lock (_lock)
        {
            var removed = _refs.Remove(fullRef);
            if (removed)
            {
                SaveRefs();
            }

            return removed;
        }
    }

    public IReadOnlyList<ImageRecord> Children(Digest id)
    {
        lock (_lock)
        {
            return [.. _images.Values.Where(i => i.Parent == id)];
        }
    }

    private void SaveRefs()
    {
        var copy = new Dictionary<string, string>(_refs.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Value)), StringComparer.Ordinal);
        AtomicFile.Write(_refsFile, JsonSerializer.SerializeToUtf8Bytes(copy, ChangesJsonContext.Default.DictionaryStringString));
    }

    /// <summary>Chain IDs of every layer prefix used by any image.</summary>
    public HashSet<string> UsedSnapshots()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var img in All())
        {
            used.UnionWith(img.ChainIds.Select(c => c.Value));
        }

        return used;
    }

    /// <summary>
    /// Removes snapshots and blobs no image references. Returns the chain IDs removed, top
    /// layers first, as docker prints them after deleting an image.
    /// </summary>
    public async Task<IReadOnlyList<string>> CollectGarbageAsync(CancellationToken cancellationToken, IEnumerable<string>? pinnedSnapshots = null, IEnumerable<Digest>? pinnedBlobs = null)
    {
        var removed = new List<string>();
        var used = UsedSnapshots();
        used.UnionWith(pinnedSnapshots ?? []);
        if (All().Any(i => i.DiffIds.Count == 0))
        {
            // Containers of an image without layers stand on the empty root.
            used.Add(Core.Snapshots.EmptyRootfs.SnapshotKey);
        }

        var blobs = new HashSet<Digest>(pinnedBlobs ?? []);
        foreach (var img in All())
        {
            blobs.Add(img.Id);
            foreach (var d in img.DiffIds)
            {
                blobs.Add(d);
            }
        }

        // Remove children before parents: repeat until nothing unused is left.
        bool progress;
        do
        {
            progress = false;
            var all = _snapshots.List();
            var parents = new HashSet<string>(all.Select(_snapshots.GetParent).Where(p => p is not null)!, StringComparer.Ordinal);
            foreach (var key in all)
            {
                if (!used.Contains(key) && !parents.Contains(key))
                {
                    await _snapshots.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                    removed.Add(key);
                    progress = true;
                }
            }
        }
        while (progress);

        foreach (var blob in _content.List())
        {
            if (!blobs.Contains(blob.Digest))
            {
                _content.Delete(blob.Digest);
            }
        }

        return removed;
    }
}
