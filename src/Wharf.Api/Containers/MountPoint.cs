using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A mount as inspect and list report it (<c>Mounts</c>); binds have no Name or Driver keys.</summary>
public sealed record MountPoint
{
    [JsonPropertyName("Type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("Name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("Source")]
    public string Source { get; init; } = "";

    [JsonPropertyName("Destination")]
    public string Destination { get; init; } = "";

    [JsonPropertyName("Driver")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Driver { get; init; }

    [JsonPropertyName("Mode")]
    public string Mode { get; init; } = "";

    [JsonPropertyName("RW")]
    public bool Rw { get; init; }

    [JsonPropertyName("Propagation")]
    public string Propagation { get; init; } = "";
}
