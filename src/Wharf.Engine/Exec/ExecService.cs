using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Exec;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Exec;

/// <summary>
/// Docker's exec instances over <see cref="IExecRuntime"/>. Records live in memory until their
/// container is removed (as in dockerd, a daemon restart forgets them); running ones are listed in
/// the container's ExecIDs. When the container's init exits its exec processes die with it (same
/// PID namespace); their exits are recorded before the container's runtime state is deleted.
/// </summary>
public sealed partial class ExecService : IExecService, IContainerLifecycleObserver
{
    private static readonly TimeSpan ResizeWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);

    private readonly ContainerStore _store;
    private readonly IExecRuntime _runtime;
    private readonly IEventService _events;
    private readonly ILogger<ExecService> _log;
    private readonly ConcurrentDictionary<string, ExecEntry> _execs = new(StringComparer.Ordinal);

    public ExecService(ContainerStore store, IExecRuntime runtime, IEventService events, ILogger<ExecService> log)
    {
        _store = store;
        _runtime = runtime;
        _events = events;
        _log = log;
    }

    public string Create(string container, ExecCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Cmd.Count == 0)
        {
            throw WharfException.Invalid("No exec command specified");
        }

        var rec = _store.Resolve(container);
        EnsureActive(rec, container);
        return Register(rec, spec, probe: false).Id;
    }

    internal ExecEntry Register(ContainerRecord rec, ExecCreateSpec spec, bool probe)
    {
        var keys = DetachKeys.Parse(spec.DetachKeys);
        var entry = new ExecEntry(NewId(), rec.Id, spec with
        {
            DetachKeys = keys,
            User = spec.User.Length > 0 ? spec.User : rec.Config.User,
            WorkingDir = spec.WorkingDir.Length > 0 ? spec.WorkingDir : rec.Config.WorkingDir,
        }, probe);
        _execs[entry.Id] = entry;
        Publish(rec, "exec_create: " + entry.CommandText, ("execID", entry.Id));
        return entry;
    }

    public async Task<Stream?> StartAsync(string execId, bool detach, int consoleHeight, int consoleWidth, CancellationToken cancellationToken)
    {
        var entry = Get(execId);
        // dockerd closes an exec's stdin when the client's input ends, except with a tty, where
        // the session just ends (and a client that detached leaves the process running).
        var started = await StartEntryAsync(entry, detach ? null : new AttachStreams(entry.Spec.AttachStdin, entry.Spec.AttachStdout, entry.Spec.AttachStderr, StdinOnce: !entry.Spec.Tty),
            consoleHeight, consoleWidth, cancellationToken).ConfigureAwait(false);
        return started.Stream;
    }

    internal async Task<ExecStarted> StartEntryAsync(ExecEntry entry, AttachStreams? attach, int consoleHeight, int consoleWidth, CancellationToken cancellationToken)
    {
        lock (entry.Sync)
        {
            if (entry.ExitCode is not null)
            {
                throw WharfException.Conflict($"Error: Exec command {entry.Id} has already run");
            }
            if (entry.StartRequested)
            {
                throw WharfException.Conflict($"Error: Exec command {entry.Id} is already running");
            }
            entry.StartRequested = true;
        }

        var rec = _store.Get(entry.ContainerId) ?? throw WharfException.NotFound($"No such container: {entry.ContainerId}");
        try
        {
            EnsureActive(rec, rec.Id);
        }
        catch
        {
            lock (entry.Sync)
            {
                entry.StartRequested = false;
            }
            throw;
        }

        var spec = new ExecProcessSpec
        {
            ExecId = entry.Id,
            Args = entry.Spec.Cmd,
            Env = entry.Spec.Env,
            WorkingDir = entry.Spec.WorkingDir,
            User = entry.Spec.User,
            GroupAdd = rec.Host.GroupAdd,
            Tty = entry.Spec.Tty,
            OpenStdin = entry.Spec.AttachStdin,
            Privileged = entry.Spec.Privileged,
            ConsoleHeight = consoleHeight > 0 ? consoleHeight : entry.Spec.ConsoleHeight,
            ConsoleWidth = consoleWidth > 0 ? consoleWidth : entry.Spec.ConsoleWidth,
        };
        Publish(rec, "exec_start: " + entry.CommandText, ("execID", entry.Id));
        ExecStarted started;
        try
        {
            started = await _runtime.StartExecAsync(rec.Id, spec, attach, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WharfException or OperationCanceledException)
        {
            var code = e is WharfException w ? FailedStartExitCode(w.Message) : 126;
            lock (entry.Sync)
            {
                entry.ExitCode = code;
                entry.Running = false;
            }
            entry.Started.TrySetResult();
            entry.Exited.TrySetResult();
            LogStartFailed(entry.Id, rec.Id, e.Message);
            throw;
        }

        lock (entry.Sync)
        {
            entry.Pid = started.Pid;
            entry.Running = entry.ExitCode is null;
        }
        entry.Started.TrySetResult();
        _ = Task.Run(() => MonitorAsync(entry), CancellationToken.None);
        return started;
    }

    /// <summary>
    /// moby's translateContainerdStartErr for execs: a command that is not there is 127, one that
    /// cannot be run (and any other failure) 126.
    /// </summary>
    internal static int FailedStartExitCode(string message)
    {
        var m = message.ToLowerInvariant();
        if (m.Contains("permission denied", StringComparison.Ordinal) || m.Contains("is a directory", StringComparison.Ordinal))
        {
            return 126;
        }
        return m.Contains("executable file not found", StringComparison.Ordinal) || m.Contains("no such file or directory", StringComparison.Ordinal) ? 127 : 126;
    }

    private async Task MonitorAsync(ExecEntry entry)
    {
        RuntimeExit exit;
        try
        {
            exit = await _runtime.WaitExecAsync(entry.ContainerId, entry.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException)
        {
            // The state went with the container: ContainerExitedAsync recorded what there was.
            Record(entry, 137);
            return;
        }

        Record(entry, exit.ExitCode);
        try
        {
            await _runtime.DeleteExecAsync(entry.ContainerId, entry.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            LogStartFailed(entry.Id, entry.ContainerId, "cleanup: " + e.Message);
        }
    }

    /// <summary>Records the first exit seen (the monitor, a lazy read in Inspect, or the container's end) and says it once.</summary>
    private void Record(ExecEntry entry, int exitCode)
    {
        lock (entry.Sync)
        {
            if (entry.ExitCode is not null)
            {
                return;
            }
            entry.ExitCode = exitCode;
            entry.Running = false;
        }
        entry.Exited.TrySetResult();
        if (_store.Get(entry.ContainerId) is { } rec)
        {
            Publish(rec, "exec_die", ("execID", entry.Id), ("exitCode", exitCode.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public ExecView Inspect(string execId)
    {
        var e = Get(execId);
        Refresh(e);
        lock (e.Sync)
        {
            return new ExecView
            {
                Id = e.Id,
                ContainerId = e.ContainerId,
                Entrypoint = e.Spec.Cmd[0],
                Arguments = [.. e.Spec.Cmd.Skip(1)],
                Tty = e.Spec.Tty,
                Privileged = e.Spec.Privileged,
                User = e.Spec.User,
                OpenStdin = e.Spec.AttachStdin,
                OpenStdout = e.Spec.AttachStdout,
                OpenStderr = e.Spec.AttachStderr,
                DetachKeys = e.Spec.DetachKeys,
                Running = e.Running,
                ExitCode = e.ExitCode,
                Pid = e.Pid,
            };
        }
    }

    /// <summary>
    /// The shim writes its exit file before it closes attached streams, so a client that asks right
    /// after its stream ended gets the exit code even if the monitor task has not run yet.
    /// </summary>
    private void Refresh(ExecEntry e)
    {
        if (e.Running && _runtime.GetExecExit(e.ContainerId, e.Id) is { } exit)
        {
            Record(e, exit.ExitCode);
        }
    }

    public async Task ResizeAsync(string execId, int height, int width, CancellationToken cancellationToken)
    {
        var e = Get(execId);
        try
        {
            await e.Started.Task.WaitAsync(ResizeWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new WharfException(ErrorKind.Internal, "timeout waiting for exec session ready");
        }

        if (!e.Spec.Tty || !e.Running)
        {
            return;
        }
        try
        {
            await _runtime.ResizeExecAsync(e.ContainerId, e.Id, height, width, cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException ex) when (ex.Kind == ErrorKind.Conflict)
        {
            // Exited meanwhile.
        }
    }

    public async Task WaitExitAsync(string execId, CancellationToken cancellationToken)
    {
        var e = Get(execId);
        Refresh(e);
        await e.Exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Detached(string execId)
    {
        var e = Get(execId);
        if (_store.Get(e.ContainerId) is { } rec)
        {
            Publish(rec, "exec_detach", ("execID", e.Id));
        }
    }

    public IReadOnlyList<string> RunningIds(string containerId) =>
        [.. _execs.Values.Where(e => e.ContainerId == containerId && !e.Probe && e.Running).Select(e => e.Id)];

    internal Task KillAsync(ExecEntry entry, int signal) => _runtime.KillExecAsync(entry.ContainerId, entry.Id, signal, CancellationToken.None);

    internal void Forget(ExecEntry entry) => _execs.TryRemove(entry.Id, out _);

    public void ContainerStarted(ContainerRecord container)
    {
    }

    public async Task ContainerExitedAsync(string id)
    {
        var running = _execs.Values.Where(e => e.ContainerId == id && e.StartRequested && e.ExitCode is null).ToList();
        await Task.WhenAll(running.Select(FinishAsync)).ConfigureAwait(false);
    }

    /// <summary>The exec died with the container's PID namespace: wait for its shim to say so, else kill it.</summary>
    private async Task FinishAsync(ExecEntry e)
    {
        if (await ExitsWithinAsync(e, ExitGrace).ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await _runtime.KillExecAsync(e.ContainerId, e.Id, 9, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException ex)
        {
            LogStartFailed(e.Id, e.ContainerId, "kill: " + ex.Message);
        }
        if (!await ExitsWithinAsync(e, ExitGrace).ConfigureAwait(false))
        {
            Record(e, 137);
        }
    }

    private async Task<bool> ExitsWithinAsync(ExecEntry e, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Refresh(e);
            if (e.Exited.Task.IsCompleted)
            {
                return true;
            }
            await Task.WhenAny(e.Exited.Task, Task.Delay(100, CancellationToken.None)).ConfigureAwait(false);
        }
        return e.Exited.Task.IsCompleted;
    }

    public void ContainerRemoved(string id)
    {
        foreach (var e in _execs.Values.Where(e => e.ContainerId == id).ToList())
        {
            _execs.TryRemove(e.Id, out _);
        }
    }

    private ExecEntry Get(string execId) =>
        _execs.TryGetValue(execId, out var e) ? e : throw WharfException.NotFound($"No such exec instance: {execId}");

    /// <summary>moby's getActiveContainer: running, not paused, not restarting.</summary>
    private static void EnsureActive(ContainerRecord rec, string asGiven)
    {
        if (!rec.State.Running)
        {
            throw WharfException.Conflict($"Container {rec.Id} is not running");
        }
        if (rec.State.Status == "paused")
        {
            throw WharfException.Conflict($"Container {asGiven} is paused, unpause the container before exec");
        }
        if (rec.State.Status == "restarting")
        {
            throw WharfException.Conflict($"Container {rec.Id} is restarting, wait until the container is running");
        }
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

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

    [LoggerMessage(EventId = 3050, Level = LogLevel.Information, Message = "exec {ExecId} in container {Id}: {Message}")]
    private partial void LogStartFailed(string execId, string id, string message);
}
