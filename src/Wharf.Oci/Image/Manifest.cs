using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

/// <summary>An OCI image manifest or Docker schema2 manifest (same shape).</summary>
public sealed record Manifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public Descriptor Config { get; init; } = new();

    [JsonPropertyName("layers")]
    public IReadOnlyList<Descriptor> Layers { get; init; } = [];

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
