using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>One resource limit (<c>process.rlimits[]</c>); <see cref="Type"/> is e.g. <c>RLIMIT_NOFILE</c>.</summary>
public sealed record PosixRlimit
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("hard")]
    public ulong Hard { get; init; }

    [JsonPropertyName("soft")]
    public ulong Soft { get; init; }
}
