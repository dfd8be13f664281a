using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Events;
using Wharf.Core.Filters;
using Wharf.Linux;

namespace Wharf.Volumes.Tests;

/// <summary>
/// A volume service on a unique temp root with an event recorder. Disposing unmounts anything
/// left under the root (a failed test must not leave tmpfs mounts behind) and deletes it.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private Harness(string dir)
    {
        Dir = dir;
        Root = Path.Join(dir, "volumes");
    }

    public string Dir { get; }

    public string Root { get; }

    public RecordingEvents Events { get; } = new();

    public VolumeService Service { get; private set; } = null!;

    public static async Task<Harness> StartAsync()
    {
        var h = new Harness(Directory.CreateTempSubdirectory("wharf-vol-").FullName);
        await h.RestartAsync();
        return h;
    }

    /// <summary>A new service over the same root, as after a daemon restart.</summary>
    public async Task RestartAsync()
    {
        Service = new VolumeService(Root, Events, TimeProvider.System, NullLogger<VolumeService>.Instance);
        await Service.InitializeAsync(CancellationToken.None);
    }

    public static bool IsMounted(string path) => MountTable.ListMountPoints().Contains(path, StringComparer.Ordinal);

    public ValueTask DisposeAsync()
    {
        MountTable.UnmountAllUnder(Dir);
        Directory.Delete(Dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingEvents : IEventService
{
    public List<(string Action, string Actor, IReadOnlyDictionary<string, string> Attributes)> Published { get; } = [];

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        Assert.Equal("volume", type);
        lock (Published)
        {
            Published.Add((action, actorId, attributes ?? new Dictionary<string, string>()));
        }
    }

    public IAsyncEnumerable<EngineEvent> StreamAsync(long? sinceNano, long? untilNano, FilterSet filters, CancellationToken cancellationToken)
        => throw new NotSupportedException();

    public IEnumerable<string> Actions(string name) => Published.Where(p => p.Actor == name).Select(p => p.Action);
}
