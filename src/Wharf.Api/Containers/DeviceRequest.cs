using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A request for devices from a device driver (<c>--gpus</c>).</summary>
public sealed record DeviceRequest
{
    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "";

    [JsonPropertyName("Count")]
    public int Count { get; init; }

    [JsonPropertyName("DeviceIDs")]
    public IReadOnlyList<string>? DeviceIds { get; init; }

    [JsonPropertyName("Capabilities")]
    public IReadOnlyList<IReadOnlyList<string>>? Capabilities { get; init; }

    [JsonPropertyName("Options")]
    public IReadOnlyDictionary<string, string>? Options { get; init; }
}
