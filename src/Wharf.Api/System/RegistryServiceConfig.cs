using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record RegistryServiceConfig
{
    [JsonPropertyName("AllowNondistributableArtifactsCIDRs")]
    public IReadOnlyList<string> AllowNondistributableArtifactsCidrs { get; init; } = [];

    [JsonPropertyName("AllowNondistributableArtifactsHostnames")]
    public IReadOnlyList<string> AllowNondistributableArtifactsHostnames { get; init; } = [];

    [JsonPropertyName("InsecureRegistryCIDRs")]
    public IReadOnlyList<string> InsecureRegistryCidrs { get; init; } = [];

    [JsonPropertyName("IndexConfigs")]
    public IReadOnlyDictionary<string, IndexInfo> IndexConfigs { get; init; } = new Dictionary<string, IndexInfo>();

    [JsonPropertyName("Mirrors")]
    public IReadOnlyList<string> Mirrors { get; init; } = [];
}
