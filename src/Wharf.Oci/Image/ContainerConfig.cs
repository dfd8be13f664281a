using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

/// <summary>
/// The execution parameters inside an image config (<c>config</c>). Docker writes its full
/// container Config here with PascalCase keys; OCI defines the subset. Fields Docker always
/// writes are plain; optional ones are omitted when null.
/// </summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("Hostname")]
    public string Hostname { get; init; } = "";

    [JsonPropertyName("Domainname")]
    public string Domainname { get; init; } = "";

    [JsonPropertyName("User")]
    public string User { get; init; } = "";

    [JsonPropertyName("AttachStdin")]
    public bool AttachStdin { get; init; }

    [JsonPropertyName("AttachStdout")]
    public bool AttachStdout { get; init; }

    [JsonPropertyName("AttachStderr")]
    public bool AttachStderr { get; init; }

    [JsonPropertyName("ExposedPorts")]
    [JsonConverter(typeof(SortedKeysConverter<EmptyObject>))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    [JsonPropertyName("Tty")]
    public bool Tty { get; init; }

    [JsonPropertyName("OpenStdin")]
    public bool OpenStdin { get; init; }

    [JsonPropertyName("StdinOnce")]
    public bool StdinOnce { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("Healthcheck")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthConfig? Healthcheck { get; init; }

    [JsonPropertyName("ArgsEscaped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ArgsEscaped { get; init; }

    [JsonPropertyName("Image")]
    public string Image { get; init; } = "";

    [JsonPropertyName("Volumes")]
    [JsonConverter(typeof(SortedKeysConverter<EmptyObject>))]
    public IReadOnlyDictionary<string, EmptyObject>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string WorkingDir { get; init; } = "";

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("NetworkDisabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NetworkDisabled { get; init; }

    [JsonPropertyName("MacAddress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MacAddress { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Labels")]
    [JsonConverter(typeof(SortedKeysConverter<string>))]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; init; }

    [JsonPropertyName("StopTimeout")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; init; }

    [JsonPropertyName("Shell")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Shell { get; init; }
}
