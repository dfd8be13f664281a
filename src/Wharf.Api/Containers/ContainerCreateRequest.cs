using System.Text.Json.Serialization;
using Wharf.Oci.Image;

namespace Wharf.Api.Containers;

/// <summary>Body of <c>POST /containers/create</c>: the container Config fields inline, plus HostConfig and NetworkingConfig. Everything is optional on input; written like the docker CLI writes it (Go's omitempty tags: Env, Cmd, Volumes, Entrypoint, OnBuild, Labels are written as null).</summary>
public sealed record ContainerCreateRequest
{
    [JsonPropertyName("Hostname")]
    public string? Hostname { get; init; } = "";

    [JsonPropertyName("Domainname")]
    public string? Domainname { get; init; } = "";

    [JsonPropertyName("User")]
    public string? User { get; init; } = "";

    [JsonPropertyName("AttachStdin")]
    public bool AttachStdin { get; init; }

    [JsonPropertyName("AttachStdout")]
    public bool AttachStdout { get; init; }

    [JsonPropertyName("AttachStderr")]
    public bool AttachStderr { get; init; }

    [JsonPropertyName("ExposedPorts")]
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
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ArgsEscaped { get; init; }

    [JsonPropertyName("Image")]
    public string? Image { get; init; } = "";

    [JsonPropertyName("Volumes")]
    public IReadOnlyDictionary<string, EmptyObject>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; } = "";

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("NetworkDisabled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? NetworkDisabled { get; init; }

    [JsonPropertyName("MacAddress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MacAddress { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Labels")]
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

    [JsonPropertyName("HostConfig")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HostConfig? HostConfig { get; init; }

    [JsonPropertyName("NetworkingConfig")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NetworkingConfig? NetworkingConfig { get; init; }

    /// <summary>The container Config part of this request, in the shape inspect returns it.</summary>
    public ContainerConfig ToContainerConfig() => new()
    {
        Hostname = Hostname ?? "",
        Domainname = Domainname ?? "",
        User = User ?? "",
        AttachStdin = AttachStdin,
        AttachStdout = AttachStdout,
        AttachStderr = AttachStderr,
        ExposedPorts = ExposedPorts,
        Tty = Tty,
        OpenStdin = OpenStdin,
        StdinOnce = StdinOnce,
        Env = Env,
        Cmd = Cmd,
        Healthcheck = Healthcheck,
        ArgsEscaped = ArgsEscaped ?? false,
        Image = Image ?? "",
        Volumes = Volumes,
        WorkingDir = WorkingDir ?? "",
        Entrypoint = Entrypoint,
        NetworkDisabled = NetworkDisabled ?? false,
        MacAddress = MacAddress,
        OnBuild = OnBuild,
        Labels = Labels,
        StopSignal = StopSignal,
        StopTimeout = StopTimeout,
        Shell = Shell,
    };
}
