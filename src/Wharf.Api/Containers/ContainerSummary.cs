using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One entry of <c>GET /containers/json</c> (and of <c>/system/df</c> Containers). <c>SizeRw</c> is omitted when 0 even with <c>size=1</c>; both sizes are absent without it.</summary>
public sealed record ContainerSummary
{
    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Names")]
    public IReadOnlyList<string>? Names { get; init; } = [];

    [JsonPropertyName("Image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("ImageID")]
    public string ImageId { get; init; } = "";

    [JsonPropertyName("Command")]
    public string Command { get; init; } = "";

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("Created")]
    public long Created { get; init; }

    [JsonPropertyName("Ports")]
    public IReadOnlyList<Port>? Ports { get; init; } = [];

    [JsonPropertyName("SizeRw")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; init; }

    [JsonPropertyName("SizeRootFs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("State")]
    public string State { get; init; } = "";

    /// <summary>Human text: "Up 2 minutes (healthy)", "Exited (3) 1 second ago".</summary>
    [JsonPropertyName("Status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("HostConfig")]
    public ContainerSummaryHostConfig HostConfig { get; init; } = new();

    [JsonPropertyName("NetworkSettings")]
    public ContainerSummaryNetworkSettings? NetworkSettings { get; init; } = new();

    [JsonPropertyName("Mounts")]
    public IReadOnlyList<MountPoint>? Mounts { get; init; } = [];
}
