using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>The container's init process (<c>process</c>).</summary>
public sealed record Process
{
    [JsonPropertyName("terminal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Terminal { get; init; }

    [JsonPropertyName("consoleSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Box? ConsoleSize { get; init; }

    /// <summary>Required by the spec, so always written.</summary>
    [JsonPropertyName("user")]
    public User User { get; init; } = new();

    [JsonPropertyName("args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Args { get; init; }

    [JsonPropertyName("env")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>Required by the spec, so always written.</summary>
    [JsonPropertyName("cwd")]
    public string Cwd { get; init; } = "/";

    [JsonPropertyName("capabilities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinuxCapabilities? Capabilities { get; init; }

    [JsonPropertyName("rlimits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PosixRlimit>? Rlimits { get; init; }

    [JsonPropertyName("noNewPrivileges")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NoNewPrivileges { get; init; }

    [JsonPropertyName("apparmorProfile")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApparmorProfile { get; init; }

    [JsonPropertyName("oomScoreAdj")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OomScoreAdj { get; init; }

    [JsonPropertyName("selinuxLabel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SelinuxLabel { get; init; }
}
