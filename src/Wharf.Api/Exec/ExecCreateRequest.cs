using System.Text.Json.Serialization;

namespace Wharf.Api.Exec;

/// <summary>Body of <c>POST /containers/{id}/exec</c>.</summary>
public sealed record ExecCreateRequest
{
    [JsonPropertyName("AttachStdin")]
    public bool AttachStdin { get; init; }

    [JsonPropertyName("AttachStdout")]
    public bool AttachStdout { get; init; }

    [JsonPropertyName("AttachStderr")]
    public bool AttachStderr { get; init; }

    [JsonPropertyName("ConsoleSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<uint>? ConsoleSize { get; init; }

    [JsonPropertyName("DetachKeys")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DetachKeys { get; init; }

    [JsonPropertyName("Tty")]
    public bool Tty { get; init; }

    [JsonPropertyName("Env")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Cmd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("Privileged")]
    public bool Privileged { get; init; }

    [JsonPropertyName("User")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }

    [JsonPropertyName("WorkingDir")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkingDir { get; init; }
}
