namespace Wharf.Core.Containers;

/// <summary>A container's lifecycle state as Docker reports it in <c>State</c>.</summary>
public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; init; } = "created";

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string Error { get; init; } = "";

    public bool OomKilled { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Null without a health check and before the first start.</summary>
    public HealthStatus? Health { get; init; }

    public bool Running => Status is "running" or "paused" or "restarting";
}
