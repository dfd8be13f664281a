using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>
/// The five capability sets (<c>process.capabilities</c>). Go's <c>omitempty</c> drops empty
/// sets, so a set that should be empty is null here.
/// </summary>
public sealed record LinuxCapabilities
{
    [JsonPropertyName("bounding")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Bounding { get; init; }

    [JsonPropertyName("effective")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Effective { get; init; }

    [JsonPropertyName("inheritable")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Inheritable { get; init; }

    [JsonPropertyName("permitted")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Permitted { get; init; }

    [JsonPropertyName("ambient")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Ambient { get; init; }
}
