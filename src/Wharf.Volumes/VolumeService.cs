using Microsoft.Extensions.Logging;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Volumes;
using Wharf.Linux;

namespace Wharf.Volumes;

/// <summary>
/// Volumes of the built-in <c>local</c> driver: directories under <c>&lt;data-root&gt;/volumes</c>,
/// optionally backed by a filesystem (<c>type</c>/<c>device</c>/<c>o</c> options) that is mounted
/// while a container uses the volume. Keeps container references (which block removal) and
/// mount references in memory; the container service rebuilds both at daemon start.
/// Operations that change volumes are serialised by one gate; lookups take only the map lock.
/// </summary>
public sealed partial class VolumeService : IVolumeService, IContainerVolumes
{
    private readonly LocalVolumeStore _store;
    private readonly IEventService _events;
    private readonly TimeProvider _time;
    private readonly ILogger<VolumeService> _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private readonly Dictionary<string, VolumeState> _volumes = new(StringComparer.Ordinal);

    public VolumeService(string root, IEventService events, TimeProvider time, ILogger<VolumeService> log)
    {
        _store = new LocalVolumeStore(root);
        _events = events;
        _time = time;
        _log = log;
    }

    /// <summary>Loads the volumes on disk and deletes what a killed daemon left half-made.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        var records = _store.Load(message => LogWarning("", message));
        var mounted = MountTable.ListMountPoints().ToHashSet(StringComparer.Ordinal);
        lock (_sync)
        {
            _volumes.Clear();
            foreach (var record in records)
            {
                var state = new VolumeState(record);
                state.Mounted = state.NeedsMount && mounted.Contains(record.Mountpoint);
                _volumes[record.Name] = state;
            }
        }

        return Task.CompletedTask;
    }

    private VolumeState? Find(string name)
    {
        lock (_sync)
        {
            return _volumes.GetValueOrDefault(name);
        }
    }

    private VolumeState Require(string name) => Find(name) ?? throw NoSuchVolume(name);

    private static WharfException NoSuchVolume(string name) => WharfException.NotFound($"get {name}: no such volume");

    private void Publish(string action, string name, IReadOnlyDictionary<string, string> attributes)
        => _events.Publish("volume", action, name, attributes);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "volume {Name}: {Message}")]
    private partial void LogWarning(string name, string message);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "volume {Name}: {Message}")]
    private partial void LogDebug(string name, string message);
}
