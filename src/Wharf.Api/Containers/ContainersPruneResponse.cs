using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>POST /containers/prune</c>; <c>ContainersDeleted</c> is null when nothing was removed.</summary>
public sealed record ContainersPruneResponse
{
    [JsonPropertyName("ContainersDeleted")]
    public IReadOnlyList<string>? ContainersDeleted { get; init; }

    [JsonPropertyName("SpaceReclaimed")]
    public ulong SpaceReclaimed { get; init; }
}
