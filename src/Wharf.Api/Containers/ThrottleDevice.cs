using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A per-device blkio rate limit (bytes or IO operations per second).</summary>
public sealed record ThrottleDevice
{
    [JsonPropertyName("Path")]
    public string Path { get; init; } = "";

    [JsonPropertyName("Rate")]
    public ulong Rate { get; init; }
}
