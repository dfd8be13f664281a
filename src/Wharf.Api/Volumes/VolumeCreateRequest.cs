using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>Body of <c>POST /volumes/create</c>; every field is optional.</summary>
public sealed record VolumeCreateRequest
{
    [JsonPropertyName("Name")]
    public string? Name { get; init; }

    [JsonPropertyName("Driver")]
    public string? Driver { get; init; }

    [JsonPropertyName("DriverOpts")]
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
