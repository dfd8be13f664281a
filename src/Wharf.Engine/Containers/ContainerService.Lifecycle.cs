using Microsoft.Extensions.Logging;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Core.Filters;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    public async Task StartAsync(string name, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var live = Live(rec.Id);
        WharfException? failure = null;
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StartLockedAsync(rec.Id, live, cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException e) when (e.Kind != ErrorKind.NotModified && rec.Host.AutoRemove)
        {
            failure = e;
        }
        finally
        {
            live.Gate.Release();
        }

        if (failure is not null)
        {
            // Docker removes an --rm container whose start failed; clients wait for that.
            await RemoveAsync(rec.Id, force: true, volumes: true, CancellationToken.None).ConfigureAwait(false);
            global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private async Task StartLockedAsync(string id, LiveContainer live, CancellationToken cancellationToken)
    {
        var rec = _store.Get(id) ?? throw WharfException.NotFound($"No such container: {id}");
        if (rec.State.Running)
        {
            throw new WharfException(ErrorKind.NotModified, "container already started");
        }

        if (rec.State.Status == "removing")
        {
            throw WharfException.Conflict($"container {id} is marked for removal and cannot be started");
        }

        // A previous run may have left runtime state behind (daemon killed mid-exit).
        await _runtime.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        var rootfs = await _snapshots.MountActiveAsync(id, cancellationToken).ConfigureAwait(false);
        var paths = PathsOf(id);
        var io = new RuntimeIo(rec.Config.Tty, rec.Config.OpenStdin, paths.LogPath, ParseSize(rec.Host.LogMaxSize, _settings.LogMaxSize), ParseCount(rec.Host.LogMaxFile, _settings.LogMaxFiles));
        int pid;
        var volumesMounted = false;
        try
        {
            var mounts = await MountVolumesAsync(rec, cancellationToken).ConfigureAwait(false);
            volumesMounted = true;
            var sandbox = await AttachNetworksAsync(id, cancellationToken).ConfigureAwait(false);
            var spec = BuildSpec(rec, rootfs, paths, mounts);
            if (sandbox is not null)
            {
                spec = spec with { NetworkMode = sandbox };
            }

            pid = await _runtime.CreateAsync(spec, io, cancellationToken).ConfigureAwait(false);
            await ConnectPendingAttachesAsync(id, live, cancellationToken).ConfigureAwait(false);
            await _runtime.StartAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            await _runtime.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            await DetachNetworksAsync(id).ConfigureAwait(false);
            if (volumesMounted)
            {
                await UnmountVolumesAsync(rec).ConfigureAwait(false);
            }

            FailPendingAttaches(live, e);
            var failed = _store.Update(id, r => r with { State = r.State with { Status = r.State.StartedAt is null ? "created" : "exited", Error = e.Message, ExitCode = 127 } });
            Publish(failed, "die", ("exitCode", "127"));
            throw;
        }

        var now = _time.GetUtcNow();
        var running = _store.Update(id, r => r with
        {
            State = new ContainerState { Status = "running", Pid = pid, StartedAt = now, FinishedAt = r.State.FinishedAt, Health = r.State.Health },
            StoppedByUser = false,
        });
        Publish(running, "start");
        NotifyStarted(running);
        _ = Task.Run(() => MonitorAsync(id, live));
    }

    private ContainerSpecRequest BuildSpec(ContainerRecord rec, string rootfs, ContainerPaths paths, IReadOnlyList<ContainerMount> mounts)
    {
        var image = _images.Inspect(rec.ImageId.Value).Image.Config.Config;
        var h = rec.Host;
        return new ContainerSpecRequest
        {
            Id = rec.Id,
            RootfsPath = rootfs,
            ReadonlyRootfs = h.ReadonlyRootfs,
            Image = image is null ? null : new ImageRunDefaults { Entrypoint = image.Entrypoint, Cmd = image.Cmd, Env = image.Env, WorkingDir = image.WorkingDir, User = image.User },
            Entrypoint = rec.Config.Entrypoint,
            Cmd = rec.Config.Cmd,
            Env = rec.Config.Env,
            WorkingDir = rec.Config.WorkingDir,
            User = rec.Config.User,
            Tty = rec.Config.Tty,
            OpenStdin = rec.Config.OpenStdin,
            ConsoleSize = (h.ConsoleHeight, h.ConsoleWidth),
            Hostname = rec.Config.Hostname,
            Domainname = rec.Config.Domainname,
            GroupAdd = h.GroupAdd,
            CapAdd = h.CapAdd,
            CapDrop = h.CapDrop,
            Privileged = h.Privileged,
            SecurityOpt = h.SecurityOpt,
            InitPath = h.Init ? _settings.InitPath : null,
            Sysctls = h.Sysctls,
            Tmpfs = h.Tmpfs,
            ShmSize = h.ShmSize,
            Mounts = mounts,
            PidMode = Namespace(h.PidMode, "pid"),
            IpcMode = Namespace(h.IpcMode, "ipc"),
            UtsMode = Namespace(h.UtsMode, "uts"),
            NetworkMode = h.NetworkMode == "host" ? NamespaceMode.Host : Namespace(h.NetworkMode, "net"),
            OomScoreAdj = h.OomScoreAdj,
            Resources = new ContainerResources
            {
                Memory = h.Memory,
                MemorySwap = h.MemorySwap,
                MemoryReservation = h.MemoryReservation,
                NanoCpus = h.NanoCpus,
                CpuShares = h.CpuShares,
                CpuQuota = h.CpuQuota,
                CpuPeriod = h.CpuPeriod,
                CpuRealtimePeriod = h.CpuRealtimePeriod,
                CpuRealtimeRuntime = h.CpuRealtimeRuntime,
                CpusetCpus = h.CpusetCpus,
                CpusetMems = h.CpusetMems,
                PidsLimit = h.PidsLimit,
                BlkioWeight = (ushort)h.BlkioWeight,
            },
            CgroupsPath = _settings.CgroupParent + "/" + rec.Id,
            Runtime = RuntimeOf(rec),
            ResolvConfPath = paths.ResolvConfPath,
            HostsPath = paths.HostsPath,
            HostnamePath = paths.HostnamePath,
        };
    }

    private NamespaceMode Namespace(string mode, string kind)
    {
        if (mode == "host")
        {
            return NamespaceMode.Host;
        }

        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = _store.Resolve(mode["container:".Length..]);
            if (!other.State.Running)
            {
                throw WharfException.Conflict($"cannot join namespace of a non running container: container {other.Id} is not running");
            }

            return NamespaceMode.Join($"/proc/{other.State.Pid}/ns/{kind}");
        }

        return NamespaceMode.Private;
    }

    private static long ParseSize(string value, long fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        var unit = char.ToLowerInvariant(value[^1]);
        var mult = unit switch { 'k' => 1024L, 'm' => 1024L * 1024, 'g' => 1024L * 1024 * 1024, _ => 1L };
        var digits = char.IsAsciiDigit(value[^1]) ? value : value[..^1];
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n * mult
            : throw WharfException.Invalid($"invalid max-size: {value}");
    }

    private static int ParseCount(string value, int fallback)
        => string.IsNullOrEmpty(value) ? fallback
            : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw WharfException.Invalid($"invalid max-file: {value}");

    /// <summary>Waits for the runtime to report the exit, records it, cleans up, and applies --rm and restart policies.</summary>
    private async Task MonitorAsync(string id, LiveContainer live)
    {
        RuntimeExit exit;
        try
        {
            exit = await _runtime.WaitAsync(id, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        ContainerRecord rec;
        await live.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            rec = await RecordExitLockedAsync(id, exit).ConfigureAwait(false);
        }
        finally
        {
            live.Gate.Release();
        }

        // Waiters registered before or during this run get this exit; later ones the next.
        var finished = live.NextExit;
        live.NextExit = LiveContainer.NewExit();
        finished.TrySetResult(new ContainerExit(exit.ExitCode));
        if (rec.Host.AutoRemove)
        {
            try
            {
                await RemoveAsync(id, force: true, volumes: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                LogWarning(id, "auto-remove failed: " + e.Message);
            }

            return;
        }

        if (ShouldRestart(rec, exit))
        {
            // Docker's backoff starts at 100 ms and doubles; a container that ran 10 s resets it.
            var delay = TimeSpan.FromMilliseconds(Math.Min(60_000, 100 * Math.Pow(2, Math.Min(rec.RestartCount, 10))));
            await Task.Delay(delay, _time, CancellationToken.None).ConfigureAwait(false);
            await live.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var current = _store.Get(id);
                if (current is null || current.StoppedByUser || current.State.Running)
                {
                    return;
                }

                _store.Update(id, r => r with { RestartCount = r.RestartCount + 1 });
                await StartLockedAsync(id, live, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                LogWarning(id, "restart failed: " + e.Message);
            }
            finally
            {
                live.Gate.Release();
            }
        }
    }

    private static bool ShouldRestart(ContainerRecord rec, RuntimeExit exit) => !rec.StoppedByUser && rec.Host.RestartPolicy switch
    {
        { Name: "always" } or { Name: "unless-stopped" } => true,
        { Name: "on-failure" } p => exit.ExitCode != 0 && (p.MaximumRetryCount == 0 || rec.RestartCount < p.MaximumRetryCount),
        _ => false,
    };

    private async Task<ContainerRecord> RecordExitLockedAsync(string id, RuntimeExit exit)
    {
        var rec = _store.Update(id, r => r with
        {
            State = r.State with { Status = "exited", Pid = 0, ExitCode = exit.ExitCode, OomKilled = exit.OomKilled, FinishedAt = exit.ExitedAt },
        });
        LogExited(id, exit.ExitCode);
        if (exit.OomKilled)
        {
            Publish(rec, "oom");
        }

        Publish(rec, "die", ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var o in _observers)
        {
            await o.ContainerExitedAsync(id).ConfigureAwait(false);
        }

        await _runtime.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
        await DetachNetworksAsync(id).ConfigureAwait(false);
        rec = _store.Get(id) ?? rec;
        try
        {
            await _snapshots.UnmountActiveAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            LogWarning(id, "unmount failed: " + e.Message);
        }

        await UnmountVolumesAsync(rec).ConfigureAwait(false);
        return rec;
    }

    public async Task StopAsync(string name, int? timeoutSeconds, string? signal, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        if (!rec.State.Running)
        {
            throw new WharfException(ErrorKind.NotModified, "container already stopped");
        }

        _store.Update(rec.Id, r => r with { StoppedByUser = true });
        var live = Live(rec.Id);
        var exited = live.NextExit.Task;
        var sig = Signals.Parse(signal ?? rec.Config.StopSignal, Signals.Term);
        var timeout = timeoutSeconds ?? rec.Config.StopTimeout ?? 10;
        await KillQuietlyAsync(rec.Id, sig, cancellationToken).ConfigureAwait(false);
        if (timeout < 0)
        {
            await exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!await CompletesWithinAsync(exited, TimeSpan.FromSeconds(timeout), cancellationToken).ConfigureAwait(false))
        {
            await KillQuietlyAsync(rec.Id, Signals.Kill, cancellationToken).ConfigureAwait(false);
            await exited.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }

        Publish(_store.Resolve(rec.Id), "stop");
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task KillQuietlyAsync(string id, int signal, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.KillAsync(id, signal, all: false, cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            // It may have exited between the check and the signal.
            LogWarning(id, "kill: " + e.Message);
        }
    }

    public async Task RestartAsync(string name, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        if (rec.State.Running)
        {
            await StopAsync(rec.Id, timeoutSeconds, null, cancellationToken).ConfigureAwait(false);
        }

        await StartAsync(rec.Id, cancellationToken).ConfigureAwait(false);
        Publish(_store.Resolve(rec.Id), "restart");
    }

    public async Task KillAsync(string name, string? signal, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var sig = Signals.Parse(signal, Signals.Kill);
        if (!rec.State.Running)
        {
            throw WharfException.Conflict($"Cannot kill container: {name}: Container {rec.Id} is not running");
        }

        if (sig == Signals.Kill)
        {
            _store.Update(rec.Id, r => r with { StoppedByUser = true });
        }

        await _runtime.KillAsync(rec.Id, sig, all: false, cancellationToken).ConfigureAwait(false);
        Publish(rec, "kill", ("signal", sig.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public async Task PauseAsync(string name, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        if (rec.State.Status != "running")
        {
            throw WharfException.Conflict($"Container {rec.Id} is not running");
        }

        await _runtime.PauseAsync(rec.Id, cancellationToken).ConfigureAwait(false);
        Publish(_store.Update(rec.Id, r => r with { State = r.State with { Status = "paused" } }), "pause");
    }

    public async Task UnpauseAsync(string name, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        if (rec.State.Status != "paused")
        {
            throw WharfException.Conflict($"Container {rec.Id} is not paused");
        }

        await _runtime.ResumeAsync(rec.Id, cancellationToken).ConfigureAwait(false);
        Publish(_store.Update(rec.Id, r => r with { State = r.State with { Status = "running" } }), "unpause");
    }

    public Task<ContainerExit> RegisterWait(string name, string? condition, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var live = Live(rec.Id);
        return (condition ?? "not-running") switch
        {
            "not-running" => rec.State.Running ? live.NextExit.Task.WaitAsync(cancellationToken) : Task.FromResult(new ContainerExit(rec.State.ExitCode)),
            "next-exit" => live.NextExit.Task.WaitAsync(cancellationToken),
            "removed" => live.Removed.Task.WaitAsync(cancellationToken),
            var c => throw WharfException.Invalid($"invalid condition: \"{c}\""),
        };
    }

    public async Task RemoveAsync(string name, bool force, bool volumes, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(name);
        var live = Live(rec.Id);
        if (rec.State.Running)
        {
            if (!force)
            {
                throw WharfException.Conflict($"You cannot remove a running container {rec.Id}. Stop the container before attempting removal or force remove");
            }

            _store.Update(rec.Id, r => r with { StoppedByUser = true });
            var exited = live.NextExit.Task;
            await KillQuietlyAsync(rec.Id, Signals.Kill, cancellationToken).ConfigureAwait(false);
            if (_store.Get(rec.Id)?.State.Running == true)
            {
                await exited.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
        }

        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Get(rec.Id) is null)
            {
                return;
            }

            _store.Update(rec.Id, r => r with { State = r.State with { Status = "removing" } });
            await _runtime.DeleteAsync(rec.Id, cancellationToken).ConfigureAwait(false);
            await _snapshots.RemoveActiveAsync(rec.Id, cancellationToken).ConfigureAwait(false);
            _store.Remove(rec.Id);
            await ReleaseVolumesAsync(rec, removeAnonymous: volumes).ConfigureAwait(false);
        }
        finally
        {
            live.Gate.Release();
        }

        foreach (var o in _observers)
        {
            o.ContainerRemoved(rec.Id);
        }

        _live.TryRemove(rec.Id, out _);
        live.Removed.TrySetResult(new ContainerExit(rec.State.ExitCode));
        live.NextExit.TrySetResult(new ContainerExit(rec.State.ExitCode));
        Publish(rec, "destroy");
    }

    public async Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneAsync(FilterSet filters, CancellationToken cancellationToken)
    {
        filters.Validate("until", "label", "label!");
        var until = filters.Get("until") is [var u, ..] ? TimeFilter.Parse(u, _time.GetUtcNow()) : (DateTimeOffset?)null;
        var deleted = new List<string>();
        long space = 0;
        foreach (var c in _store.All().Where(c => !c.State.Running))
        {
            if ((until is { } t && c.Created > t) || !filters.MatchLabels("label", c.Config.Labels))
            {
                continue;
            }

            var size = GetSizeRw(c.Id);
            try
            {
                await RemoveAsync(c.Id, force: false, volumes: false, cancellationToken).ConfigureAwait(false);
                deleted.Add(c.Id);
                space += size;
            }
            catch (WharfException e)
            {
                LogWarning(c.Id, "prune: " + e.Message);
            }
        }

        _events.Publish("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = space.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return (deleted, space);
    }

    private void NotifyStarted(ContainerRecord rec)
    {
        foreach (var o in _observers)
        {
            try
            {
                o.ContainerStarted(rec);
            }
            catch (WharfException e)
            {
                LogWarning(rec.Id, "start observer: " + e.Message);
            }
        }
    }
}
