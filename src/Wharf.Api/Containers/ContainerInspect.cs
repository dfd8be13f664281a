using System.Text.Json.Serialization;
using Wharf.Api.Images;
using Wharf.Oci.Image;

namespace Wharf.Api.Containers;

/// <summary>Answer of <c>GET /containers/{id}/json</c>. <c>SizeRw</c>/<c>SizeRootFs</c> only with <c>?size=1</c>; <c>ExecIDs</c> is null, not [], when there are none.</summary>
public sealed record ContainerInspect
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Created")]
    public string Created { get; init; } = "";

    [JsonPropertyName("Path")]
    public string Path { get; init; } = "";

    [JsonPropertyName("Args")]
    public IReadOnlyList<string>? Args { get; init; } = [];

    [JsonPropertyName("State")]
    public ContainerState State { get; init; } = new();

    /// <summary>The image ID; Config.Image keeps the name as given.</summary>
    [JsonPropertyName("Image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("ResolvConfPath")]
    public string ResolvConfPath { get; init; } = "";

    [JsonPropertyName("HostnamePath")]
    public string HostnamePath { get; init; } = "";

    [JsonPropertyName("HostsPath")]
    public string HostsPath { get; init; } = "";

    [JsonPropertyName("LogPath")]
    public string LogPath { get; init; } = "";

    /// <summary>With the leading "/".</summary>
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("RestartCount")]
    public int RestartCount { get; init; }

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "";

    [JsonPropertyName("Platform")]
    public string Platform { get; init; } = "";

    [JsonPropertyName("MountLabel")]
    public string MountLabel { get; init; } = "";

    [JsonPropertyName("ProcessLabel")]
    public string ProcessLabel { get; init; } = "";

    [JsonPropertyName("AppArmorProfile")]
    public string AppArmorProfile { get; init; } = "";

    [JsonPropertyName("ExecIDs")]
    public IReadOnlyList<string>? ExecIDs { get; init; }

    [JsonPropertyName("HostConfig")]
    public HostConfig? HostConfig { get; init; } = new();

    [JsonPropertyName("GraphDriver")]
    public GraphDriverData GraphDriver { get; init; } = new();

    [JsonPropertyName("SizeRw")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; init; }

    [JsonPropertyName("SizeRootFs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; init; }

    [JsonPropertyName("Mounts")]
    public IReadOnlyList<MountPoint>? Mounts { get; init; } = [];

    [JsonPropertyName("Config")]
    public ContainerConfig? Config { get; init; } = new();

    [JsonPropertyName("NetworkSettings")]
    public NetworkSettings? NetworkSettings { get; init; } = new();
}
