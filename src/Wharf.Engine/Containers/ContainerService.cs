using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Filters;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Core.Volumes;
using Wharf.Oci;

namespace Wharf.Engine.Containers;

/// <summary>
/// Container lifecycle over the image store, the snapshotter and the OCI runtime. State changes
/// of one container are serialised by its gate; the runtime's monitor (wharf-shim) keeps the
/// process, so this service can restart without stopping containers.
/// </summary>
public sealed partial class ContainerService : IContainerService
{
    private readonly ContainerStore _store;
    private readonly IImageService _images;
    private readonly ISnapshotter _snapshots;
    private readonly IContainerRuntime _runtime;
    private readonly IContainerVolumes _volumes;
    private readonly Core.Networks.IContainerNetworks _networks;
    private readonly IEventService _events;
    private readonly ContainerServiceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ContainerService> _log;
    private readonly ConcurrentDictionary<string, LiveContainer> _live = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IContainerLifecycleObserver[] _observers;

    public ContainerService(ContainerStore store, IImageService images, ISnapshotter snapshots, IContainerRuntime runtime, IContainerVolumes volumes, Core.Networks.IContainerNetworks networks, IEventService events, ContainerServiceSettings settings, TimeProvider time, ILogger<ContainerService> log, IEnumerable<IContainerLifecycleObserver> observers)
    {
        _observers = [.. observers];
        _store = store;
        _images = images;
        _snapshots = snapshots;
        _runtime = runtime;
        _volumes = volumes;
        _networks = networks;
        _events = events;
        _settings = settings;
        _time = time;
        _log = log;
    }

    private LiveContainer Live(string id) => _live.GetOrAdd(id, _ => new LiveContainer());

    public ContainerRecord Inspect(string name) => _store.Resolve(name);

    public ContainerPaths PathsOf(string id)
    {
        var dir = _store.DirectoryOf(id);
        return new ContainerPaths(Path.Combine(dir, id + "-json.log"), Path.Combine(dir, "hostname"), Path.Combine(dir, "hosts"), Path.Combine(dir, "resolv.conf"));
    }

    public long GetSizeRw(string id) => _snapshots.ListActive().Contains(id) ? _snapshots.GetActiveSize(id) : 0;

    public IReadOnlyList<ContainerRecord> UsingImage(Digest imageId) => [.. _store.All().Where(c => c.ImageId == imageId)];

    public IReadOnlyList<ContainerRecord> List(bool all, int limit, FilterSet filters)
    {
        filters.Validate("id", "name", "label", "label!", "status", "exited", "ancestor", "before", "since", "health", "volume", "network", "isolation", "is-task", "publish", "expose");
        var statuses = filters.Get("status");
        foreach (var s in statuses)
        {
            if (s is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"))
            {
                throw WharfException.Invalid($"Invalid filter 'status={s}'");
            }
        }

        var healths = filters.Get("health");
        foreach (var h in healths)
        {
            if (h is not ("starting" or "healthy" or "unhealthy" or "none"))
            {
                throw WharfException.Invalid($"Unrecognised filter value for health: {h}");
            }
        }

        var before = filters.Get("before") is [var b, ..] ? _store.Resolve(b).Created : (DateTimeOffset?)null;
        var since = filters.Get("since") is [var sn, ..] ? _store.Resolve(sn).Created : (DateTimeOffset?)null;
        var query = _store.All().OrderByDescending(c => c.Created).AsEnumerable();
        if (!all && statuses.Count == 0 && limit <= 0 && before is null && since is null)
        {
            query = query.Where(c => c.State.Running);
        }

        query = query.Where(c =>
            (filters.Get("id") is not { Count: > 0 } ids || ids.Any(i => c.Id.StartsWith(i, StringComparison.Ordinal)))
            && (filters.Get("name") is not { Count: > 0 } names || names.Any(n => c.Name.Contains(n.TrimStart('/'), StringComparison.Ordinal)))
            && (statuses.Count == 0 || statuses.Contains(c.State.Status))
            && (filters.Get("exited") is not { Count: > 0 } codes || (c.State.Status == "exited" && codes.Contains(c.State.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            && (filters.Get("ancestor") is not { Count: > 0 } anc || anc.Any(a => AncestorMatches(a, c)))
            && filters.MatchLabels("label", c.Config.Labels)
            && (before is null || c.Created < before)
            && (since is null || c.Created > since)
            && (filters.Get("network") is not { Count: > 0 } nets || nets.Contains(c.Host.NetworkMode))
            && (filters.Get("volume") is not { Count: > 0 } vols || UsesVolume(c, vols))
            && (healths.Count == 0 || healths.Contains(c.State.Health?.Status ?? "none")));
        if (limit > 0)
        {
            query = query.Take(limit);
        }

        return [.. query];
    }

    private bool AncestorMatches(string image, ContainerRecord c)
    {
        try
        {
            return _images.Inspect(image).Image.Id == c.ImageId;
        }
        catch (WharfException)
        {
            return false;
        }
    }

    public async Task RenameAsync(string name, string newName, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var bare = ContainerNames.Normalize(newName);
        if (bare == rec.Name)
        {
            throw WharfException.Conflict($"Renaming a container with the same name as its current name");
        }

        var live = Live(rec.Id);
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _store.Update(rec.Id, r => r with { Name = bare });
        }
        finally
        {
            live.Gate.Release();
        }

        Publish(rec, "rename", ("oldName", "/" + rec.Name), ("name", bare));
    }

    private void Publish(ContainerRecord rec, string action, params (string Key, string Value)[] extra)
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in rec.Config.Labels ?? new Dictionary<string, string>())
        {
            attrs[k] = v;
        }

        attrs["image"] = rec.Config.Image;
        attrs["name"] = rec.Name;
        foreach (var (k, v) in extra)
        {
            attrs[k] = v;
        }

        _events.Publish("container", action, rec.Id, attrs);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "container {Id}: {Message}")]
    private partial void LogWarning(string id, string message);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "container {Id} exited with {Code}")]
    private partial void LogExited(string id, int code);
}
