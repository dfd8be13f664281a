using System.Text.Json.Serialization;

namespace Wharf.Api.System;

/// <summary>One build cache record in <c>GET /system/df</c> (Docker's BuildCache object).</summary>
public sealed record BuildCacheEntry
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Parents")]
    public IReadOnlyList<string>? Parents { get; init; }

    [JsonPropertyName("Type")]
    public string Type { get; init; } = "regular";

    [JsonPropertyName("Description")]
    public string Description { get; init; } = "";

    [JsonPropertyName("InUse")]
    public bool InUse { get; init; }

    [JsonPropertyName("Shared")]
    public bool Shared { get; init; }

    [JsonPropertyName("Size")]
    public long Size { get; init; }

    [JsonPropertyName("CreatedAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("LastUsedAt")]
    public DateTimeOffset? LastUsedAt { get; init; }

    [JsonPropertyName("UsageCount")]
    public int UsageCount { get; init; }
}
