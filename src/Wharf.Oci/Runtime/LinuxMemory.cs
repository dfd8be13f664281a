using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>Memory cgroup limits in bytes (<c>linux.resources.memory</c>).</summary>
public sealed record LinuxMemory
{
    [JsonPropertyName("limit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Limit { get; init; }

    [JsonPropertyName("reservation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Reservation { get; init; }

    /// <summary>Memory plus swap, as cgroup v1's <c>memsw</c> counts it; -1 is unlimited.</summary>
    [JsonPropertyName("swap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Swap { get; init; }

    /// <summary>Deprecated in the kernel and in Docker; kept for reading older specs.</summary>
    [JsonPropertyName("kernel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Kernel { get; init; }

    [JsonPropertyName("swappiness")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Swappiness { get; init; }

    [JsonPropertyName("disableOOMKiller")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DisableOomKiller { get; init; }
}
