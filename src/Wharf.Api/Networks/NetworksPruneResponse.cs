using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>Answer of <c>POST /networks/prune</c>.</summary>
public sealed record NetworksPruneResponse
{
    [JsonPropertyName("NetworksDeleted")]
    public IReadOnlyList<string>? NetworksDeleted { get; init; }
}
