using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>Block I/O cgroup settings (<c>linux.resources.blockIO</c>).</summary>
public sealed record LinuxBlockIo
{
    [JsonPropertyName("weight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? Weight { get; init; }
}
