using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One blkio counter of one device.</summary>
public sealed record BlkioStatEntry
{
    [JsonPropertyName("major")]
    public ulong Major { get; init; }

    [JsonPropertyName("minor")]
    public ulong Minor { get; init; }

    [JsonPropertyName("op")]
    public string Op { get; init; } = "";

    [JsonPropertyName("value")]
    public ulong Value { get; init; }
}
