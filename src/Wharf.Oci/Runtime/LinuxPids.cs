using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>The pids cgroup limit (<c>linux.resources.pids</c>); -1 is unlimited.</summary>
public sealed record LinuxPids
{
    [JsonPropertyName("limit")]
    public long Limit { get; init; }
}
