using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record SystemVersion
{
    [JsonPropertyName("Platform")]
    public PlatformName Platform { get; init; } = new();

    [JsonPropertyName("Components")]
    public IReadOnlyList<ComponentVersion> Components { get; init; } = [];

    [JsonPropertyName("Version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("ApiVersion")]
    public string ApiVersion { get; init; } = "";

    [JsonPropertyName("MinAPIVersion")]
    public string MinApiVersion { get; init; } = "";

    [JsonPropertyName("GitCommit")]
    public string GitCommit { get; init; } = "";

    [JsonPropertyName("GoVersion")]
    public string GoVersion { get; init; } = "";

    [JsonPropertyName("Os")]
    public string Os { get; init; } = "";

    [JsonPropertyName("Arch")]
    public string Arch { get; init; } = "";

    [JsonPropertyName("KernelVersion")]
    public string KernelVersion { get; init; } = "";

    [JsonPropertyName("BuildTime")]
    public string BuildTime { get; init; } = "";
}
