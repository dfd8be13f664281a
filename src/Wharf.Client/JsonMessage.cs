using System.Text.Json.Nodes;

namespace Wharf.Client;

/// <summary>One object of Docker's newline-separated JSON progress stream (pull, push, load, import, build).</summary>
public sealed record JsonMessage
{
    public string? Status { get; init; }

    public string? Id { get; init; }

    public string? Progress { get; init; }

    public long? Current { get; init; }

    public long? Total { get; init; }

    public string? Stream { get; init; }

    /// <summary>The error text: errorDetail.message, else error.</summary>
    public string? Error { get; init; }

    public JsonNode? Aux { get; init; }

    /// <summary>The whole object as received.</summary>
    public required JsonObject Raw { get; init; }

    public static JsonMessage FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        long? Num(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;
        var detail = o["progressDetail"] as JsonObject;
        var errorDetail = o["errorDetail"] as JsonObject;
        return new JsonMessage
        {
            Status = Str(o["status"]),
            Id = Str(o["id"]),
            Progress = Str(o["progress"]),
            Current = Num(detail?["current"]),
            Total = Num(detail?["total"]),
            Stream = Str(o["stream"]),
            Error = Str(errorDetail?["message"]) ?? Str(o["error"]),
            Aux = o["aux"],
            Raw = o,
        };
    }
}
