using System.Text.Json.Serialization;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>A native seccomp arch and the compat arches a process on it may also use (x86_64: x86, x32).</summary>
internal sealed record SeccompArchMapEntry
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("subArchitectures")]
    public IReadOnlyList<string>? SubArchitectures { get; init; }
}
