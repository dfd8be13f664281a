using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>The seccomp filter (<c>linux.seccomp</c>) in the runtime's resolved form.</summary>
public sealed record LinuxSeccomp
{
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; init; } = "";

    [JsonPropertyName("defaultErrnoRet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? DefaultErrnoRet { get; init; }

    [JsonPropertyName("architectures")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Architectures { get; init; }

    [JsonPropertyName("flags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Flags { get; init; }

    [JsonPropertyName("syscalls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxSyscall>? Syscalls { get; init; }
}
