using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

/// <summary>One entry of the <c>manifest.json</c> array in a <c>docker save</c> archive.</summary>
public sealed record DockerArchiveManifestEntry
{
    [JsonPropertyName("Config")]
    public string Config { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; } = [];

    [JsonPropertyName("LayerSources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, Descriptor>? LayerSources { get; init; }
}
