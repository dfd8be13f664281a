using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>State</c> of container inspect. Times never null: unset is <c>0001-01-01T00:00:00Z</c>. <c>Health</c> is absent without a healthcheck and before the first start.</summary>
public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited, dead.</summary>
    [JsonPropertyName("Status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("Running")]
    public bool Running { get; init; }

    [JsonPropertyName("Paused")]
    public bool Paused { get; init; }

    [JsonPropertyName("Restarting")]
    public bool Restarting { get; init; }

    [JsonPropertyName("OOMKilled")]
    public bool OomKilled { get; init; }

    [JsonPropertyName("Dead")]
    public bool Dead { get; init; }

    [JsonPropertyName("Pid")]
    public int Pid { get; init; }

    [JsonPropertyName("ExitCode")]
    public int ExitCode { get; init; }

    [JsonPropertyName("Error")]
    public string Error { get; init; } = "";

    [JsonPropertyName("StartedAt")]
    public string StartedAt { get; init; } = ContainerTimes.Zero;

    [JsonPropertyName("FinishedAt")]
    public string FinishedAt { get; init; } = ContainerTimes.Zero;

    [JsonPropertyName("Health")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthState? Health { get; init; }
}
