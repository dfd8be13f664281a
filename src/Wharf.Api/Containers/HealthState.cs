using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>State.Health</c>: <c>starting</c>, <c>healthy</c> or <c>unhealthy</c>, with the last probes.</summary>
public sealed record HealthState
{
    [JsonPropertyName("Status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("FailingStreak")]
    public int FailingStreak { get; init; }

    [JsonPropertyName("Log")]
    public IReadOnlyList<HealthLog>? Log { get; init; } = [];
}
