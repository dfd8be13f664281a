using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>Cgroup limits (<c>linux.resources</c>).</summary>
public sealed record LinuxResources
{
    [JsonPropertyName("devices")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxDeviceCgroup>? Devices { get; init; }

    [JsonPropertyName("memory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxMemory? Memory { get; init; }

    [JsonPropertyName("cpu")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxCpu? Cpu { get; init; }

    [JsonPropertyName("pids")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxPids? Pids { get; init; }

    [JsonPropertyName("blockIO")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxBlockIo? BlockIo { get; init; }
}
