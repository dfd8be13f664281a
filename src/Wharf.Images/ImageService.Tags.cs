using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Images;
using Wharf.Oci;

namespace Wharf.Images;

public sealed partial class ImageService
{
    public async Task TagAsync(string source, string repository, string? tag, CancellationToken cancellationToken)
    {
        var full = ImageNames.ForTag(repository, tag);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var img = Resolve(source);
            TagLocked(img, full);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Points a full reference at an image; returns the image that lost the reference, if any.</summary>
    private Digest? TagLocked(ImageRecord img, string full)
    {
        var old = _store.SetRef(full, img.Id);
        var now = _time.GetUtcNow();
        _store.Put(img with { LastTagTime = now });
        _events.Publish("image", "tag", img.Id.Value, EventAttributes(img, ImageNames.Familiar(full)));
        return old is { } o && o != img.Id ? o : null;
    }

    public async Task<IReadOnlyList<ImageDeleteItem>> RemoveAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var img = TryResolve(name, out var fullRef) ?? throw NoSuchImage(name, fullRef);
            var items = new List<ImageDeleteItem>();
            var byRef = fullRef is not null && _store.Resolve(fullRef) == img.Id;
            if (byRef)
            {
                var users = ContainersUsing(img.Id);
                var last = _store.RefsOf(img.Id).Count == 1;
                if (last && users.Count > 0 && !force)
                {
                    throw WharfException.Conflict($"conflict: unable to remove repository reference \"{name}\" (must force) - container {users[0].Id[..12]} is using its referenced image {img.Id.Short}");
                }

                _store.RemoveRef(fullRef!);
                items.Add(new ImageDeleteItem(ImageNames.Familiar(fullRef!), null));
                _events.Publish("image", "untag", img.Id.Value, EventAttributes(img, img.Id.Value));
                if (_store.RefsOf(img.Id).Count > 0 || _store.Children(img.Id).Count > 0 || users.Count > 0)
                {
                    return items;
                }
            }
            else
            {
                var refs = _store.RefsOf(img.Id);
                var users = ContainersUsing(img.Id);
                if (users.FirstOrDefault(u => u.Running) is { Id: not null } running)
                {
                    throw WharfException.Conflict($"conflict: unable to delete {img.Id.Short} (cannot be forced) - image is being used by running container {running.Id[..12]}");
                }

                if (users.Count > 0)
                {
                    throw WharfException.Conflict($"conflict: unable to delete {img.Id.Short} (must be forced) - image is being used by stopped container {users[0].Id[..12]}");
                }

                var repos = refs.Select(ImageNames.Repo).Distinct(StringComparer.Ordinal).Count();
                if (repos > 1 && !force)
                {
                    throw WharfException.Conflict($"conflict: unable to delete {img.Id.Short} (must be forced) - image is referenced in multiple repositories");
                }

                if (_store.Children(img.Id).Count > 0)
                {
                    throw WharfException.Conflict($"conflict: unable to delete {img.Id.Short} (cannot be forced) - image has dependent child images");
                }

                foreach (var r in refs)
                {
                    _store.RemoveRef(r);
                    items.Add(new ImageDeleteItem(ImageNames.Familiar(r), null));
                    _events.Publish("image", "untag", img.Id.Value, EventAttributes(img, img.Id.Value));
                }
            }

            await DeleteImageLockedAsync(img, noPrune, items, cancellationToken).ConfigureAwait(false);
            return items;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes an untagged, childless image, then its parents that became dangling (unless noPrune).</summary>
    private async Task DeleteImageLockedAsync(ImageRecord img, bool noPrune, List<ImageDeleteItem> items, CancellationToken cancellationToken)
    {
        var current = img;
        while (true)
        {
            _store.Delete(current.Id);
            items.Add(new ImageDeleteItem(null, current.Id.Value));
            _events.Publish("image", "delete", current.Id.Value, EventAttributes(current, current.Id.Value));
            if (noPrune || current.Parent is not { } pid || _store.Get(pid) is not { } parent
                || _store.RefsOf(pid).Count > 0 || _store.Children(pid).Count > 0)
            {
                break;
            }

            current = parent;
        }

        foreach (var layer in await CollectGarbageAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new ImageDeleteItem(null, layer));
        }
    }

    public async Task<ImagePruneResult> PruneAsync(bool all, FilterSet filters, CancellationToken cancellationToken)
    {
        filters.Validate("dangling", "until", "label", "label!");
        var danglingOnly = filters.GetBool("dangling") ?? !all;
        var until = filters.Get("until") is [var u, ..] ? TimeFilter.Parse(u, _time.GetUtcNow()) : (DateTimeOffset?)null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sizesBefore = SnapshotSizes();
            var items = new List<ImageDeleteItem>();
            foreach (var img in _store.All().OrderByDescending(i => i.Created))
            {
                var refs = _store.RefsOf(img.Id);
                if ((danglingOnly && refs.Count > 0) || _store.Children(img.Id).Count > 0 || ContainersUsing(img.Id).Count > 0)
                {
                    continue;
                }

                if (until is { } t && img.Created > t)
                {
                    continue;
                }

                var labels = img.Config.Config?.Labels;
                if (!filters.MatchLabels("label", labels) || (filters.Contains("label!") && NegatedLabelsMatch(filters, labels)))
                {
                    continue;
                }

                foreach (var r in refs)
                {
                    _store.RemoveRef(r);
                    items.Add(new ImageDeleteItem(ImageNames.Familiar(r), null));
                    _events.Publish("image", "untag", img.Id.Value, EventAttributes(img, img.Id.Value));
                }

                _store.Delete(img.Id);
                items.Add(new ImageDeleteItem(null, img.Id.Value));
                _events.Publish("image", "delete", img.Id.Value, EventAttributes(img, img.Id.Value));
            }

            long reclaimed = 0;
            foreach (var layer in await CollectGarbageAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(new ImageDeleteItem(null, layer));
                reclaimed += sizesBefore.GetValueOrDefault(layer);
            }

            _events.Publish("image", "prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return new ImagePruneResult(items, reclaimed);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Dictionary<string, long> SnapshotSizes()
        => _snapshots.List().ToDictionary(k => k, _snapshots.GetSize, StringComparer.Ordinal);
}
