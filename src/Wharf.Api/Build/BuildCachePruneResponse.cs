using System.Text.Json.Serialization;

namespace Wharf.Api.Build;

/// <summary>The answer of <c>POST /build/prune</c>.</summary>
public sealed record BuildCachePruneResponse
{
    [JsonPropertyName("CachesDeleted")]
    public IReadOnlyList<string>? CachesDeleted { get; init; }

    [JsonPropertyName("SpaceReclaimed")]
    public long SpaceReclaimed { get; init; }
}
