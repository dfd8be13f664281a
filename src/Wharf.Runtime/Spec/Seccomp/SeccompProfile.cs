using System.Text.Json.Serialization;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>
/// A seccomp profile in Docker's file format (what <c>--security-opt seccomp=profile.json</c>
/// sends): the runtime form plus an arch map and per-rule include/exclude conditions that are
/// resolved against the container's capabilities, the host arch and kernel.
/// </summary>
internal sealed record SeccompProfile
{
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; init; } = "";

    [JsonPropertyName("defaultErrnoRet")]
    public uint? DefaultErrnoRet { get; init; }

    [JsonPropertyName("architectures")]
    public IReadOnlyList<string>? Architectures { get; init; }

    [JsonPropertyName("archMap")]
    public IReadOnlyList<SeccompArchMapEntry>? ArchMap { get; init; }

    [JsonPropertyName("flags")]
    public IReadOnlyList<string>? Flags { get; init; }

    [JsonPropertyName("syscalls")]
    public IReadOnlyList<SeccompRule>? Syscalls { get; init; }
}
