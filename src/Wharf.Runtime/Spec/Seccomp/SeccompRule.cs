using System.Text.Json.Serialization;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>One rule of a Docker seccomp profile: the runtime rule plus when it applies.</summary>
internal sealed record SeccompRule
{
    /// <summary>The legacy single-name form; a rule has either this or <see cref="Names"/>.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("names")]
    public IReadOnlyList<string>? Names { get; init; }

    [JsonPropertyName("action")]
    public string Action { get; init; } = "";

    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; init; }

    [JsonPropertyName("args")]
    public IReadOnlyList<LinuxSeccompArg>? Args { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("includes")]
    public SeccompCondition? Includes { get; init; }

    [JsonPropertyName("excludes")]
    public SeccompCondition? Excludes { get; init; }
}
