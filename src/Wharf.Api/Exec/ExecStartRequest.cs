using System.Text.Json.Serialization;

namespace Wharf.Api.Exec;

/// <summary>Body of <c>POST /exec/{id}/start</c>.</summary>
public sealed record ExecStartRequest
{
    [JsonPropertyName("Detach")]
    public bool Detach { get; init; }

    [JsonPropertyName("Tty")]
    public bool Tty { get; init; }

    [JsonPropertyName("ConsoleSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<uint>? ConsoleSize { get; init; }
}
