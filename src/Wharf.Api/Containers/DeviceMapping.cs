using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A host device made available in the container (<c>--device</c>).</summary>
public sealed record DeviceMapping
{
    [JsonPropertyName("PathOnHost")]
    public string PathOnHost { get; init; } = "";

    [JsonPropertyName("PathInContainer")]
    public string PathInContainer { get; init; } = "";

    [JsonPropertyName("CgroupPermissions")]
    public string CgroupPermissions { get; init; } = "";
}
