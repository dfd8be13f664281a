using Microsoft.Extensions.Logging;
using Wharf.Core.Content;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Filters;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Oci;

namespace Wharf.Images;

/// <summary>
/// Image operations over the content store, the snapshotter and the image metadata store.
/// Mutations are serialised by one gate; reads use the in-memory index.
/// </summary>
public sealed partial class ImageService : IImageService
{
    private readonly IContentStore _content;
    private readonly ILayerDecompressor _decompressor;
    private readonly ISnapshotter _snapshots;
    private readonly IEventService _events;
    private readonly TimeProvider _time;
    private readonly ILogger<ImageService> _log;
    private readonly ImageStore _store;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _layerGate = new(1, 1);
    private readonly Lock _pinLock = new();
    private readonly Dictionary<string, int> _pinnedSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<Digest, int> _pinnedBlobs = [];

    public ImageService(string root, IContentStore content, ISnapshotter snapshots, IEventService events, TimeProvider time, ILogger<ImageService> log, ILayerDecompressor decompressor)
    {
        _content = content;
        _decompressor = decompressor;
        _snapshots = snapshots;
        _events = events;
        _time = time;
        _log = log;
        _store = new ImageStore(root, content, snapshots);
    }

    public int Count => _store.Count;

    /// <summary>
    /// Which containers use an image (ID and whether it runs). Set by the composition root once
    /// the container service exists; image removal and prune consult it, as Docker does.
    /// </summary>
    public Func<Digest, IReadOnlyList<(string Id, bool Running)>> ContainersUsing { get; set; } = _ => [];

    /// <summary>Loads the store and removes whatever a killed daemon left half-made.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _content.RecoverAsync(cancellationToken).ConfigureAwait(false);
        await _snapshots.RecoverAsync(cancellationToken).ConfigureAwait(false);
        await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        LogLoaded(_store.Count, _snapshots.Name);
    }

    public IReadOnlyList<ImageView> List(bool all, FilterSet filters)
    {
        filters.Validate("dangling", "label", "label!", "reference", "before", "since", "until");
        var dangling = filters.GetBool("dangling");
        DateTimeOffset? before = filters.Get("before") is [var b, ..] ? Resolve(b).Created : null;
        DateTimeOffset? since = filters.Get("since") is [var s, ..] ? Resolve(s).Created : null;
        var until = filters.Get("until") is [var u, ..] ? TimeFilter.Parse(u, _time.GetUtcNow()) : (DateTimeOffset?)null;
        var patterns = filters.Get("reference");

        var result = new List<ImageView>();
        foreach (var img in _store.All())
        {
            var refs = _store.RefsOf(img.Id);
            var isDangling = refs.Count == 0;
            if (!all && isDangling && _store.Children(img.Id).Count > 0)
            {
                continue;
            }

            if (dangling is { } d && d != isDangling)
            {
                continue;
            }

            if (before is { } bt && img.Created >= bt)
            {
                continue;
            }

            if (since is { } st && img.Created <= st)
            {
                continue;
            }

            if (until is { } ut && img.Created > ut)
            {
                continue;
            }

            var labels = img.Config.Config?.Labels;
            if (!filters.MatchLabels("label", labels) || (filters.Contains("label!") && NegatedLabelsMatch(filters, labels)))
            {
                continue;
            }

            var view = View(img, refs);
            if (patterns.Count > 0)
            {
                var tags = view.RepoTags.Where(t => patterns.Any(p => ReferenceMatches(p, t))).ToList();
                var digests = view.RepoDigests.Where(t => patterns.Any(p => ReferenceMatches(p, t))).ToList();
                if (tags.Count == 0 && digests.Count == 0)
                {
                    continue;
                }

                view = view with { RepoTags = tags, RepoDigests = digests };
            }

            result.Add(view);
        }

        result.Sort((x, y) => y.Image.Created.CompareTo(x.Image.Created));
        return result;
    }

    private static bool NegatedLabelsMatch(FilterSet filters, IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var want in filters.Get("label!"))
        {
            if (FilterSet.Of(("l", want)).MatchLabels("l", labels))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Docker matches a reference filter with path.Match against the familiar name and the
    /// familiar name with its tag.
    /// </summary>
    internal static bool ReferenceMatches(string pattern, string familiarRef)
    {
        var at = familiarRef.IndexOf('@', StringComparison.Ordinal);
        var nameOnly = at >= 0 ? familiarRef[..at] : familiarRef;
        var colon = nameOnly.LastIndexOf(':');
        var slash = nameOnly.LastIndexOf('/');
        var repo = colon > slash ? nameOnly[..colon] : nameOnly;
        return GlobMatch.PathMatch(pattern, repo) || GlobMatch.PathMatch(pattern, familiarRef);
    }

    public ImageView Inspect(string name) => View(Resolve(name), null);

    public Task<byte[]> GetConfigBytesAsync(string name, CancellationToken cancellationToken)
        => _content.ReadAllAsync(Resolve(name).Id, cancellationToken);

    public IReadOnlyList<ImageHistoryItem> History(string name)
    {
        var img = Resolve(name);
        var rows = new List<ImageHistoryItem>();
        var history = img.Config.History ?? [];
        var layer = 0;
        if (history.Count == 0)
        {
            for (var i = 0; i < img.DiffIds.Count; i++)
            {
                rows.Add(new ImageHistoryItem("<missing>", img.Created, "", [], LayerSize(img, i), ""));
            }
        }
        else
        {
            foreach (var h in history)
            {
                long size = 0;
                if (!h.EmptyLayer && layer < img.DiffIds.Count)
                {
                    size = LayerSize(img, layer);
                    layer++;
                }

                rows.Add(new ImageHistoryItem("<missing>", h.Created ?? img.Created, h.CreatedBy ?? "", [], size, h.Comment ?? ""));
            }
        }

        rows.Reverse();

        // As Docker does: the newest row names the image, each older row the next parent
        // (committed images have parents), until an image has none.
        var current = img;
        for (var i = 0; i < rows.Count && current is not null; i++)
        {
            rows[i] = rows[i] with { Id = current.Id.Value, Tags = View(current, null).RepoTags };
            current = current.Parent is { } parent ? _store.Get(parent) : null;
        }

        return rows;
    }

    public long LayersSize()
    {
        long total = 0;
        foreach (var key in _store.UsedSnapshots())
        {
            total += _snapshots.GetSize(key);
        }

        return total;
    }

    private long LayerSize(ImageRecord img, int index)
    {
        var key = img.ChainIds[index].Value;
        return _snapshots.Exists(key) ? _snapshots.GetSize(key) : 0;
    }

    private ImageView View(ImageRecord img, IReadOnlyList<string>? refs)
    {
        refs ??= _store.RefsOf(img.Id);
        var tags = new List<string>();
        var digests = new List<string>();
        foreach (var r in refs)
        {
            (ImageNames.IsDigestRef(r) ? digests : tags).Add(ImageNames.Familiar(r));
        }

        return new ImageView(img, tags, digests, 0, _snapshots.Name, new Dictionary<string, string>());
    }

    /// <summary>Resolves a name as Docker does: full ID, reference, then unique ID prefix.</summary>
    internal ImageRecord Resolve(string name) => TryResolve(name, out var viaRef) ?? throw NoSuchImage(name, viaRef);

    /// <summary>
    /// Resolves <paramref name="name"/>; <paramref name="fullRef"/> is set when the name parsed
    /// as a reference (whether or not it was found).
    /// </summary>
    internal ImageRecord? TryResolve(string name, out string? fullRef)
    {
        fullRef = null;
        if (string.IsNullOrEmpty(name))
        {
            throw WharfException.Invalid("image name cannot be blank");
        }

        if (Digest.TryParse(name, out var id))
        {
            return _store.Get(id);
        }

        if (name.Length == 64 && Digest.IsLowerHex(name))
        {
            // A bare 64-hex string is always an ID: Docker forbids it as a repository name.
            return _store.Get(Digest.Parse(Digest.Sha256 + ":" + name));
        }

        fullRef = ImageNames.TryFull(name, out var error);
        if (fullRef is not null && _store.Resolve(fullRef) is { } d && _store.Get(d) is { } byRef)
        {
            return byRef;
        }

        var hex = name.StartsWith("sha256:", StringComparison.Ordinal) ? name[7..] : name;
        if (hex.Length >= 1 && hex.Length < 64 && Digest.IsLowerHex(hex))
        {
            var matches = _store.SearchPrefix(hex);
            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                throw WharfException.Invalid($"multiple IDs found with provided prefix: {hex}");
            }
        }

        if (fullRef is null)
        {
            throw WharfException.Invalid($"no such image: {name}: {error}");
        }

        return null;
    }

    private static WharfException NoSuchImage(string name, string? fullRef)
        => WharfException.NotFound("No such image: " + (fullRef is null ? name : ImageNames.Familiar(fullRef)));

    private Dictionary<string, string> EventAttributes(ImageRecord img, string name)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in img.Config.Config?.Labels ?? new Dictionary<string, string>())
        {
            d[k] = v;
        }

        d["name"] = name;
        return d;
    }

    private void Pin(IEnumerable<string> snapshots, IEnumerable<Digest> blobs, int delta)
    {
        lock (_pinLock)
        {
            foreach (var s in snapshots)
            {
                _pinnedSnapshots[s] = _pinnedSnapshots.GetValueOrDefault(s) + delta;
                if (_pinnedSnapshots[s] <= 0)
                {
                    _pinnedSnapshots.Remove(s);
                }
            }

            foreach (var b in blobs)
            {
                _pinnedBlobs[b] = _pinnedBlobs.GetValueOrDefault(b) + delta;
                if (_pinnedBlobs[b] <= 0)
                {
                    _pinnedBlobs.Remove(b);
                }
            }
        }
    }

    private Task<IReadOnlyList<string>> CollectGarbageAsync(CancellationToken cancellationToken)
    {
        string[] snaps;
        Digest[] blobs;
        lock (_pinLock)
        {
            snaps = [.. _pinnedSnapshots.Keys];
            blobs = [.. _pinnedBlobs.Keys];
        }

        return _store.CollectGarbageAsync(cancellationToken, snaps, blobs);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "image store loaded: {Count} images, snapshotter {Driver}")]
    private partial void LogLoaded(int count, string driver);
}
