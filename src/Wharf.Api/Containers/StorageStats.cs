using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>storage_stats</c> (Windows only; <c>{}</c> on Linux).</summary>
public sealed record StorageStats
{
    [JsonPropertyName("read_count_normalized")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ReadCountNormalized { get; init; }

    [JsonPropertyName("read_size_bytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ReadSizeBytes { get; init; }

    [JsonPropertyName("write_count_normalized")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? WriteCountNormalized { get; init; }

    [JsonPropertyName("write_size_bytes")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? WriteSizeBytes { get; init; }
}
