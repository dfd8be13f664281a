using System.Text.Json.Serialization;

namespace Wharf.Api.Exec;

/// <summary>Answer of <c>GET /exec/{id}/json</c>. <c>ExitCode</c> is null until the process exits; <c>Pid</c> stays set after.</summary>
public sealed record ExecInspect
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Running")]
    public bool Running { get; init; }

    [JsonPropertyName("ExitCode")]
    public int? ExitCode { get; init; }

    [JsonPropertyName("ProcessConfig")]
    public ExecProcessConfig ProcessConfig { get; init; } = new();

    [JsonPropertyName("OpenStdin")]
    public bool OpenStdin { get; init; }

    [JsonPropertyName("OpenStderr")]
    public bool OpenStderr { get; init; }

    [JsonPropertyName("OpenStdout")]
    public bool OpenStdout { get; init; }

    [JsonPropertyName("CanRemove")]
    public bool CanRemove { get; init; }

    [JsonPropertyName("ContainerID")]
    public string ContainerId { get; init; } = "";

    [JsonPropertyName("DetachKeys")]
    public string DetachKeys { get; init; } = "";

    [JsonPropertyName("Pid")]
    public int Pid { get; init; }
}
