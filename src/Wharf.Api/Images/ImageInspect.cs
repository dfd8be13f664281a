using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

public sealed record ImageInspect
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string> RepoTags { get; init; } = [];

    [JsonPropertyName("RepoDigests")]
    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    [JsonPropertyName("Parent")]
    public string Parent { get; init; } = "";

    [JsonPropertyName("Comment")]
    public string Comment { get; init; } = "";

    [JsonPropertyName("Created")]
    public string Created { get; init; } = "";

    [JsonPropertyName("Container")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Container { get; init; }

    [JsonPropertyName("ContainerConfig")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Wharf.Oci.Image.ContainerConfig? ContainerConfig { get; init; }

    [JsonPropertyName("DockerVersion")]
    public string DockerVersion { get; init; } = "";

    [JsonPropertyName("Author")]
    public string Author { get; init; } = "";

    [JsonPropertyName("Config")]
    public Wharf.Oci.Image.ContainerConfig? Config { get; init; }

    [JsonPropertyName("Architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("Variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    [JsonPropertyName("Os")]
    public string Os { get; init; } = "";

    [JsonPropertyName("Size")]
    public long Size { get; init; }

    [JsonPropertyName("VirtualSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; init; }

    [JsonPropertyName("GraphDriver")]
    public GraphDriverData GraphDriver { get; init; } = new();

    [JsonPropertyName("RootFS")]
    public RootFsInfo RootFs { get; init; } = new();

    [JsonPropertyName("Metadata")]
    public ImageMetadata Metadata { get; init; } = new();
}
