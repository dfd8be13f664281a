using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>A device node the runtime creates in the container (<c>linux.devices[]</c>).</summary>
public sealed record LinuxDevice
{
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary><c>c</c>, <c>b</c>, <c>u</c> or <c>p</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("major")]
    public long Major { get; init; }

    [JsonPropertyName("minor")]
    public long Minor { get; init; }

    /// <summary>Permission bits; JSON has no octal, so 0666 is written as 438.</summary>
    [JsonPropertyName("fileMode")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? FileMode { get; init; }

    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Uid { get; init; }

    [JsonPropertyName("gid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Gid { get; init; }
}
