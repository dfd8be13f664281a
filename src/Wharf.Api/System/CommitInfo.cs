using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record CommitInfo
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Expected")]
    public string Expected { get; init; } = "";
}
