using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record SwarmInfo
{
    [JsonPropertyName("NodeID")]
    public string NodeId { get; init; } = "";

    [JsonPropertyName("NodeAddr")]
    public string NodeAddr { get; init; } = "";

    [JsonPropertyName("LocalNodeState")]
    public string LocalNodeState { get; init; } = "";

    [JsonPropertyName("ControlAvailable")]
    public bool ControlAvailable { get; init; }

    [JsonPropertyName("Error")]
    public string Error { get; init; } = "";

    [JsonPropertyName("RemoteManagers")]
    public IReadOnlyList<string>? RemoteManagers { get; init; }
}
