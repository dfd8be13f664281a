using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>
/// One device-cgroup rule (<c>linux.resources.devices[]</c>). A null type, major or minor
/// means "any" (<c>a</c> / <c>*</c>).
/// </summary>
public sealed record LinuxDeviceCgroup
{
    [JsonPropertyName("allow")]
    public bool Allow { get; init; }

    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonPropertyName("major")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Major { get; init; }

    [JsonPropertyName("minor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Minor { get; init; }

    [JsonPropertyName("access")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Access { get; init; }
}
