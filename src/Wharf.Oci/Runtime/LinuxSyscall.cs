using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>One seccomp rule (<c>linux.seccomp.syscalls[]</c>).</summary>
public sealed record LinuxSyscall
{
    [JsonPropertyName("names")]
    public IReadOnlyList<string> Names { get; init; } = [];

    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("errnoRet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? ErrnoRet { get; init; }

    [JsonPropertyName("args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxSeccompArg>? Args { get; init; }
}
