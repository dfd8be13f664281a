namespace Wharf.Engine;

/// <summary>The daemon settings the engine services need (from flags and daemon.json).</summary>
public sealed record EngineSettings
{
    public required string EngineId { get; init; }

    public required string DataRoot { get; init; }

    public required string ExecRoot { get; init; }

    public required string StorageDriver { get; init; }

    public bool Debug { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<string> RegistryMirrors { get; init; } = [];

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>The configured OCI runtimes, name to binary, as <c>/info</c> lists them.</summary>
    public IReadOnlyDictionary<string, string> Runtimes { get; init; } = new Dictionary<string, string> { ["runc"] = "runc" };

    public string DefaultRuntime { get; init; } = "runc";
}
