using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>
/// The Linux-specific part of the spec (<c>linux</c>). Not named <c>Linux</c> so it does not
/// collide with the <c>Wharf.Linux</c> namespace in every project under <c>Wharf</c>.
/// </summary>
public sealed record LinuxSpec
{
    [JsonPropertyName("uidMappings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxIdMapping>? UidMappings { get; init; }

    [JsonPropertyName("gidMappings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxIdMapping>? GidMappings { get; init; }

    [JsonPropertyName("sysctl")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }

    [JsonPropertyName("resources")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxResources? Resources { get; init; }

    [JsonPropertyName("cgroupsPath")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CgroupsPath { get; init; }

    [JsonPropertyName("namespaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxNamespace>? Namespaces { get; init; }

    [JsonPropertyName("devices")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinuxDevice>? Devices { get; init; }

    [JsonPropertyName("seccomp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxSeccomp? Seccomp { get; init; }

    [JsonPropertyName("rootfsPropagation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RootfsPropagation { get; init; }

    [JsonPropertyName("maskedPaths")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? MaskedPaths { get; init; }

    [JsonPropertyName("readonlyPaths")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    [JsonPropertyName("mountLabel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MountLabel { get; init; }
}
