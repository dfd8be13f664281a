using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>A user-namespace id range (<c>linux.uidMappings[]</c>, <c>linux.gidMappings[]</c>).</summary>
public sealed record LinuxIdMapping
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; init; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; init; }

    [JsonPropertyName("size")]
    public uint Size { get; init; }
}
