namespace Wharf.Runtime.Runc;

/// <summary>
/// Where <see cref="ShimRuntime"/> keeps its per-container state and which binaries it drives.
/// Everything the driver knows lives under <see cref="ContainersRoot"/> and runc's own root, so a
/// new instance over the same directories (a daemon restart) sees the same containers.
/// </summary>
public sealed record ShimRuntimeSettings
{
    /// <summary>Per-container directories (<c>&lt;exec-root&gt;/containers</c>): <c>ID/bundle</c> and <c>ID/state</c>.</summary>
    public required string ContainersRoot { get; init; }

    /// <summary>runc's <c>--root</c> (<c>&lt;exec-root&gt;/runc</c>).</summary>
    public required string RuncRoot { get; init; }

    /// <summary>The wharf-shim binary (the daemon passes <c>&lt;dir of wharfd&gt;/../wharf-shim</c>).</summary>
    public required string ShimPath { get; init; }

    public string RuncPath { get; init; } = "/usr/sbin/runc";

    /// <summary>Extra global runc options placed before the command, e.g. <c>--systemd-cgroup</c>.</summary>
    public IReadOnlyList<string> RuncArgs { get; init; } = [];

    /// <summary>
    /// Start a created container by opening runc's exec fifo instead of running <c>runc start</c>
    /// (one process fewer per start). Off for runtimes other than runc.
    /// </summary>
    public bool StartThroughFifo { get; init; } = true;

    /// <summary>
    /// The daemon's real-time budget (dockerd's <c>cpu-rt-period</c>/<c>cpu-rt-runtime</c>): when
    /// set, every container's parent cgroups get it before runc creates the container's group.
    /// </summary>
    public long CpuRealtimePeriod { get; init; }

    public long CpuRealtimeRuntime { get; init; }

    /// <summary>How long the shim may take to report <c>runc create</c>'s verdict.</summary>
    public TimeSpan CreateTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one runc command (start, kill, pause, resume, delete) may take.</summary>
    public TimeSpan RuncTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="ShimRuntime.DeleteAsync"/> waits for the shim to exit before killing it.</summary>
    public TimeSpan ShimExitGrace { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How often <see cref="ShimRuntime.WaitAsync"/> re-checks besides the file watcher.</summary>
    public TimeSpan WaitPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
