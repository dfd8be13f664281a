using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>
/// The OCI runtime-spec <c>config.json</c> (version 1.0.2, the shape runc 1.1 reads). Named
/// <c>RuntimeSpec</c> rather than <c>Spec</c> so it does not collide with the
/// <c>Wharf.Runtime.Spec</c> namespace that builds it. Hooks are left out on purpose: Wharf
/// never asks the runtime to run host programs.
/// </summary>
public sealed record RuntimeSpec
{
    /// <summary>The version runc 1.1 reports as its spec version; Docker writes the vendored one.</summary>
    public const string Version = "1.0.2";

    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; init; } = Version;

    [JsonPropertyName("process")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Process? Process { get; init; }

    [JsonPropertyName("root")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Root? Root { get; init; }

    [JsonPropertyName("hostname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hostname { get; init; }

    [JsonPropertyName("domainname")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Domainname { get; init; }

    [JsonPropertyName("mounts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Mount>? Mounts { get; init; }

    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("linux")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxSpec? Linux { get; init; }
}
