using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record RuntimeInfo
{
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";
}
