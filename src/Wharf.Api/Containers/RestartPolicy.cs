using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>HostConfig.RestartPolicy</c>: <c>""</c>/<c>no</c>, <c>always</c>, <c>unless-stopped</c>, <c>on-failure</c> (with a retry count).</summary>
public sealed record RestartPolicy
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("MaximumRetryCount")]
    public int MaximumRetryCount { get; init; }
}
