using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>A condition on one syscall argument (<c>linux.seccomp.syscalls[].args[]</c>).</summary>
public sealed record LinuxSeccompArg
{
    [JsonPropertyName("index")]
    public uint Index { get; init; }

    [JsonPropertyName("value")]
    public ulong Value { get; init; }

    [JsonPropertyName("valueTwo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ValueTwo { get; init; }

    /// <summary>e.g. <c>SCMP_CMP_EQ</c>, <c>SCMP_CMP_MASKED_EQ</c>.</summary>
    [JsonPropertyName("op")]
    public string Op { get; init; } = "";
}
