using System.Text.Json.Serialization;

namespace Wharf.Api.Events;

public sealed record EventMessage
{
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; init; }

    [JsonPropertyName("Type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("Action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("Actor")]
    public EventActor Actor { get; init; } = new();

    [JsonPropertyName("scope")]
    public string Scope { get; init; } = "";

    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }
}
