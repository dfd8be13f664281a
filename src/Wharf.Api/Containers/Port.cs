using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A port in the container list; IP and PublicPort are absent when the port is not published.</summary>
public sealed record Port
{
    [JsonPropertyName("IP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ip { get; init; }

    [JsonPropertyName("PrivatePort")]
    public ushort PrivatePort { get; init; }

    [JsonPropertyName("PublicPort")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? PublicPort { get; init; }

    /// <summary>tcp, udp or sctp.</summary>
    [JsonPropertyName("Type")]
    public string Type { get; init; } = "";
}
