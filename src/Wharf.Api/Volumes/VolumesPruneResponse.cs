using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary><c>POST /volumes/prune</c>: VolumesDeleted is <c>[]</c> (not null) when nothing was removed.</summary>
public sealed record VolumesPruneResponse
{
    [JsonPropertyName("VolumesDeleted")]
    public IReadOnlyList<string>? VolumesDeleted { get; init; }

    [JsonPropertyName("SpaceReclaimed")]
    public ulong SpaceReclaimed { get; init; }
}
