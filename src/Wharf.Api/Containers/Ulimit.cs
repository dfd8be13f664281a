using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>An rlimit for the container's processes (<c>--ulimit</c>); dockerd writes Name, Hard, Soft in that order.</summary>
public sealed record Ulimit
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Hard")]
    public long Hard { get; init; }

    [JsonPropertyName("Soft")]
    public long Soft { get; init; }
}
