using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One health probe result in <c>State.Health.Log</c>; times are RFC 3339 with nanoseconds as Go writes them.</summary>
public sealed record HealthLog
{
    [JsonPropertyName("Start")]
    public string Start { get; init; } = "";

    [JsonPropertyName("End")]
    public string End { get; init; } = "";

    [JsonPropertyName("ExitCode")]
    public int ExitCode { get; init; }

    [JsonPropertyName("Output")]
    public string Output { get; init; } = "";
}
