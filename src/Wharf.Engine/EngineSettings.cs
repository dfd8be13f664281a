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
}
