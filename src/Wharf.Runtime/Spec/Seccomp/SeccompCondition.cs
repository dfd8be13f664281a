using System.Text.Json.Serialization;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>
/// When a rule applies (<c>includes</c>: all must hold) or does not (<c>excludes</c>: any
/// excludes it): capabilities in the bounding set, Go arch names, a minimum kernel "major.minor".
/// </summary>
internal sealed record SeccompCondition
{
    [JsonPropertyName("caps")]
    public IReadOnlyList<string>? Caps { get; init; }

    [JsonPropertyName("arches")]
    public IReadOnlyList<string>? Arches { get; init; }

    [JsonPropertyName("minKernel")]
    public string? MinKernel { get; init; }
}
