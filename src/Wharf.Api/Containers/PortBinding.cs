using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One host binding of a container port (<c>HostConfig.PortBindings</c>, <c>NetworkSettings.Ports</c>).</summary>
public sealed record PortBinding
{
    [JsonPropertyName("HostIp")]
    public string HostIp { get; init; } = "";

    [JsonPropertyName("HostPort")]
    public string HostPort { get; init; } = "";
}
