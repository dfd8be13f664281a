using System.Runtime.CompilerServices;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    public async Task<Stream> AttachAsync(string name, AttachStreams streams, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var live = Live(rec.Id);
        TaskCompletionSource<Stream> pending;
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            rec = _store.Get(rec.Id)!;
            if (rec.State.Running)
            {
                return await _runtime.AttachAsync(rec.Id, streams, cancellationToken).ConfigureAwait(false);
            }

            // Docker clients attach before they start (docker run): connect when the process exists.
            pending = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
            live.PendingAttaches.Add((streams, pending));
        }
        finally
        {
            live.Gate.Release();
        }

        using var reg = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        return await pending.Task.ConfigureAwait(false);
    }

    private async Task ConnectPendingAttachesAsync(string id, LiveContainer live, CancellationToken cancellationToken)
    {
        foreach (var (streams, result) in live.PendingAttaches)
        {
            if (result.Task.IsCompleted)
            {
                continue;
            }

            try
            {
                result.TrySetResult(await _runtime.AttachAsync(id, streams, cancellationToken).ConfigureAwait(false));
            }
            catch (WharfException e)
            {
                result.TrySetException(e);
            }
        }

        live.PendingAttaches.Clear();
    }

    private static void FailPendingAttaches(LiveContainer live, Exception e)
    {
        foreach (var (_, result) in live.PendingAttaches)
        {
            result.TrySetException(e);
        }

        live.PendingAttaches.Clear();
    }

    public void RecordAttach(string id, bool detached)
    {
        if (_store.Get(id) is { } rec)
        {
            Publish(rec, detached ? "detach" : "attach");
        }
    }

    public Task ResizeAsync(string name, int height, int width, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        if (!rec.State.Running)
        {
            throw WharfException.Conflict($"Container {rec.Id} is not running");
        }

        return _runtime.ResizeAsync(rec.Id, height, width, cancellationToken);
    }

    public async IAsyncEnumerable<LogEntry> LogsAsync(string name, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!options.Stdout && !options.Stderr)
        {
            throw WharfException.Invalid("Bad parameters: you must choose at least one stream");
        }

        var rec = _store.Resolve(name);
        var log = PathsOf(rec.Id).LogPath;
        var exited = Live(rec.Id).NextExit.Task;
        var follow = options.Follow && rec.State.Running;
        await foreach (var entry in JsonFileLog.ReadAsync(log, options, follow ? exited : null, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <summary>
    /// Loads the store and reconciles it with the runtime after a daemon (re)start: containers
    /// whose monitor still runs are watched again, exits that happened meanwhile are recorded,
    /// and restart policies bring back what should run.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var broken in _store.Load())
        {
            await _snapshots.RemoveActiveAsync(broken, cancellationToken).ConfigureAwait(false);
            _store.Remove(broken);
        }

        var known = _store.All().Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in _runtime.List().Where(id => !known.Contains(id)))
        {
            await _runtime.DeleteAsync(orphan, cancellationToken).ConfigureAwait(false);
        }

        foreach (var orphan in _snapshots.ListActive().Where(id => !known.Contains(id)))
        {
            await _snapshots.RemoveActiveAsync(orphan, cancellationToken).ConfigureAwait(false);
        }

        foreach (var stored in _store.All())
        {
            var rec = UpgradeLegacyBinds(stored);
            var running = rec.State.Running && _runtime.GetStatus(rec.Id) is { Running: true } or { Exit: null, Pid: > 0 };
            await RestoreVolumesAsync(rec, running, cancellationToken).ConfigureAwait(false);
        }

        await _volumes.ReconcileMountsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var rec in _store.All())
        {
            var live = Live(rec.Id);
            if (!rec.State.Running)
            {
                await DetachNetworksAsync(rec.Id).ConfigureAwait(false);
                if (rec.Host.RestartPolicy.Name == "always" && !rec.StoppedByUser && rec.State.StartedAt is not null)
                {
                    await TryStartOnBootAsync(rec.Id, live).ConfigureAwait(false);
                }

                continue;
            }

            var status = _runtime.GetStatus(rec.Id);
            if (status is { Running: true } or { Exit: null, Pid: > 0 })
            {
                await RestoreNetworksAsync(rec).ConfigureAwait(false);
                _ = Task.Run(() => MonitorAsync(rec.Id, live), CancellationToken.None);
                NotifyStarted(rec);
                continue;
            }

            var exit = status?.Exit ?? new RuntimeExit(255, _time.GetUtcNow(), false);
            await RecordExitLockedAsync(rec.Id, exit).ConfigureAwait(false);
            var after = _store.Get(rec.Id)!;
            if (after.Host.AutoRemove)
            {
                await RemoveAsync(rec.Id, force: true, volumes: true, cancellationToken).ConfigureAwait(false);
            }
            else if (after.Host.RestartPolicy.Name is "always" or "unless-stopped" || (after.Host.RestartPolicy.Name == "on-failure" && exit.ExitCode != 0))
            {
                await TryStartOnBootAsync(rec.Id, live).ConfigureAwait(false);
            }
        }
    }

    private async Task TryStartOnBootAsync(string id, LiveContainer live)
    {
        await live.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await StartLockedAsync(id, live, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            LogWarning(id, "start on boot failed: " + e.Message);
        }
        finally
        {
            live.Gate.Release();
        }
    }

    /// <summary>Stops watching (daemon shutdown); containers keep running under their monitors.</summary>
    public Task ShutdownAsync() => _stopping.CancelAsync();
}
