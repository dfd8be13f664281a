using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Build;

/// <summary>
/// The images of <c>cachefrom</c> (<c>docker build --cache-from</c>), matched as dockerd's legacy
/// builder matches them: a step is found in a source when the source's history and layers start
/// with the current image's, and the source's next history entry was made by the same command
/// (its <c>created_by</c>). Sources need no parent links, so an image that came by
/// <c>docker load</c> or a pull serves as well as one built here.
/// </summary>
internal sealed class CacheSources
{
    private readonly IReadOnlyList<ImageRecord> _sources;

    public CacheSources(IReadOnlyList<ImageRecord> sources)
    {
        _sources = sources;
    }

    public static CacheSources None { get; } = new([]);

    public bool IsEmpty => _sources.Count == 0;

    /// <summary>
    /// With sources, dockerd takes a step from its own cache only when the cached image is part
    /// of one of them (here: its history and layers are a prefix of a source's, or it is one).
    /// </summary>
    public bool Covers(ImageRecord cached) => _sources.Any(s => s.Id == cached.Id || IsPrefix(cached, s));

    /// <summary>
    /// The source and history index that hold the step made by <paramref name="createdBy"/> on
    /// <paramref name="parent"/> (null: no image yet, FROM scratch), or null.
    /// </summary>
    public CacheSourceMatch? Find(ImageRecord? parent, string createdBy)
    {
        var parentHistory = parent?.Config.History ?? [];
        foreach (var source in _sources)
        {
            var history = source.Config.History ?? [];
            if (!ValidParent(source, parent) || history.Count <= parentHistory.Count || history[parentHistory.Count].CreatedBy != createdBy)
            {
                continue;
            }

            var index = parentHistory.Count;
            var layer = LayerAt(source, index);
            if (layer is null && !history[index].EmptyLayer)
            {
                // More layer entries than layers: not an image a build made.
                continue;
            }

            return new CacheSourceMatch(source, index, index == history.Count - 1, layer);
        }

        return null;
    }

    /// <summary>
    /// dockerd's isValidParent: a parent with neither history nor layers (scratch) fits any
    /// image with history; otherwise its history entries and layers must begin the image's.
    /// </summary>
    internal static bool ValidParent(ImageRecord image, ImageRecord? parent)
    {
        if (image.Config.History is not { Count: > 0 })
        {
            return false;
        }

        if (parent is null || ((parent.Config.History?.Count ?? 0) == 0 && parent.DiffIds.Count == 0))
        {
            return true;
        }

        return IsPrefix(parent, image) && parent.Config.History!.Count < image.Config.History.Count;
    }

    private static bool IsPrefix(ImageRecord prefix, ImageRecord image)
    {
        var ph = prefix.Config.History ?? [];
        var ih = image.Config.History ?? [];
        if (ph.Count > ih.Count || prefix.DiffIds.Count > image.DiffIds.Count)
        {
            return false;
        }

        for (var i = 0; i < ph.Count; i++)
        {
            if (ph[i] != ih[i])
            {
                return false;
            }
        }

        for (var i = 0; i < prefix.DiffIds.Count; i++)
        {
            if (prefix.DiffIds[i] != image.DiffIds[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The layer the history entry at <paramref name="index"/> added, or null when it added none.</summary>
    internal static Digest? LayerAt(ImageRecord image, int index)
    {
        var history = image.Config.History ?? [];
        if (history[index].EmptyLayer)
        {
            return null;
        }

        var layer = history.Take(index).Count(h => !h.EmptyLayer);
        return layer < image.DiffIds.Count ? image.DiffIds[layer] : null;
    }
}
