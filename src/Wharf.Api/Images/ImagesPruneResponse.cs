using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record ImagesPruneResponse
{
    [JsonPropertyName("ImagesDeleted")]
    public IReadOnlyList<ImageDeleteResponseItem>? ImagesDeleted { get; init; }

    [JsonPropertyName("SpaceReclaimed")]
    public long SpaceReclaimed { get; init; }
}
