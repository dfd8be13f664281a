using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

/// <summary>
/// The image configuration document (OCI image-spec config.md, Docker's image JSON). Its
/// sha256 is the image ID, so the stored bytes are kept; this type is a read view of them and
/// the writer for configs Wharf itself creates.
/// </summary>
public sealed record ImageConfig
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "amd64";

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    [JsonPropertyName("os")]
    public string Os { get; init; } = "linux";

    [JsonPropertyName("author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; init; }

    [JsonPropertyName("created")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("docker_version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DockerVersion { get; init; }

    [JsonPropertyName("comment")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; init; }

    [JsonPropertyName("parent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parent { get; init; }

    [JsonPropertyName("container")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Container { get; init; }

    [JsonPropertyName("config")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerConfig? Config { get; init; }

    [JsonPropertyName("container_config")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ContainerConfig? ContainerConfig { get; init; }

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; init; } = new();

    [JsonPropertyName("history")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistoryEntry>? History { get; init; }
}
