using System.Text.Json.Serialization;

namespace Wharf.Api.Build;

/// <summary>The <c>aux</c> of a build stream: the built image's ID.</summary>
public sealed record BuildResult
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";
}
