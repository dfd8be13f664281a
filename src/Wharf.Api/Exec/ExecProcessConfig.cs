using System.Text.Json.Serialization;

namespace Wharf.Api.Exec;

/// <summary><c>ProcessConfig</c> of exec inspect; the only lower-case keys in the container API.</summary>
public sealed record ExecProcessConfig
{
    [JsonPropertyName("tty")]
    public bool Tty { get; init; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; init; } = "";

    [JsonPropertyName("arguments")]
    public IReadOnlyList<string>? Arguments { get; init; } = [];

    [JsonPropertyName("privileged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Privileged { get; init; }

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; init; }
}
