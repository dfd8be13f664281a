using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Wharf.Core.Containers;
using Wharf.Core.Events;
using Wharf.Engine.Containers;
using Wharf.Engine.Exec;

namespace Wharf.Engine.Health;

/// <summary>
/// Runs a container's health check while it runs (moby daemon/health.go): probes are execs,
/// results go into State.Health, changes of status are <c>health_status: STATUS</c> events.
/// Probes start with the container (also when a restarted daemon finds it running) and stop
/// when it exits, which leaves the status "unhealthy" as dockerd does.
/// </summary>
public sealed partial class HealthMonitor : IContainerLifecycleObserver
{
    private readonly ContainerStore _store;
    private readonly ExecService _execs;
    private readonly IEventService _events;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthMonitor> _log;
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Stop, Task Loop)> _running = new(StringComparer.Ordinal);

    public HealthMonitor(ContainerStore store, ExecService execs, IEventService events, TimeProvider time, ILogger<HealthMonitor> log)
    {
        _store = store;
        _execs = execs;
        _events = events;
        _time = time;
        _log = log;
    }

    public void ContainerStarted(ContainerRecord container)
    {
        ArgumentNullException.ThrowIfNull(container);
        StopLoop(container.Id);
        var settings = HealthSettings.From(container.Config.Healthcheck, container.Config.Shell);
        if (settings is null)
        {
            return;
        }
        var rec = _store.Update(container.Id, r => r with
        {
            State = r.State with { Health = (r.State.Health ?? new HealthStatus()) with { Status = HealthStatus.Starting, FailingStreak = 0 } },
        });
        var stop = new CancellationTokenSource();
        var startedAt = rec.State.StartedAt ?? _time.GetUtcNow();
        var loop = Task.Run(() => LoopAsync(container.Id, settings, startedAt, stop.Token), CancellationToken.None);
        _running[container.Id] = (stop, loop);
    }

    public async Task ContainerExitedAsync(string id)
    {
        if (_running.TryRemove(id, out var r))
        {
            await r.Stop.CancelAsync().ConfigureAwait(false);
            await r.Loop.ConfigureAwait(false);
            r.Stop.Dispose();
        }

        // dockerd's CloseMonitorChannel: a stopped monitor leaves the container unhealthy (also
        // when the exit happened while the daemon was down and no monitor ran).
        if (_store.Get(id) is { State.Health.Status: not HealthStatus.Unhealthy })
        {
            _store.Update(id, c => c.State.Health is null ? c : c with { State = c.State with { Health = c.State.Health with { Status = HealthStatus.Unhealthy } } });
        }
    }

    public void ContainerRemoved(string id) => StopLoop(id);

    private void StopLoop(string id)
    {
        if (_running.TryRemove(id, out var r))
        {
            r.Stop.Cancel();
        }
    }

    private async Task LoopAsync(string id, HealthSettings settings, DateTimeOffset startedAt, CancellationToken stop)
    {
        try
        {
            var status = HealthStatus.Starting;
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(HealthMachine.NextInterval(settings, status, startedAt, _time.GetUtcNow()), _time, stop).ConfigureAwait(false);
                if (_store.Get(id) is not { State.Running: true })
                {
                    return;
                }
                var result = await _execs.RunProbeAsync(id, settings.Command, settings.Timeout, _time, stop).ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                string? changed = null;
                ContainerRecord rec;
                try
                {
                    rec = _store.Update(id, r =>
                    {
                        var before = r.State.Health ?? new HealthStatus();
                        var after = HealthMachine.Apply(before, result, settings, startedAt);
                        changed = after.Status != before.Status ? after.Status : null;
                        return r with { State = r.State with { Health = after } };
                    });
                }
                catch (Core.Errors.WharfException)
                {
                    return; // removed meanwhile
                }
                status = rec.State.Health?.Status ?? status;
                if (changed is not null)
                {
                    Publish(rec, "health_status: " + changed);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogLoopFailed(id, e);
        }
    }

    private void Publish(ContainerRecord rec, string action)
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in rec.Config.Labels ?? new Dictionary<string, string>())
        {
            attrs[k] = v;
        }
        attrs["image"] = rec.Config.Image;
        attrs["name"] = rec.Name;
        _events.Publish("container", action, rec.Id, attrs);
    }

    [LoggerMessage(EventId = 3060, Level = LogLevel.Warning, Message = "health check of container {Id} stopped")]
    private partial void LogLoopFailed(string id, Exception exception);
}
