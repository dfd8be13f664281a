namespace Wharf.Core.System;

/// <summary>Facts about the daemon and host that <c>/info</c> and <c>/version</c> report.</summary>
public sealed record SystemFacts
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DataRoot { get; init; }

    public required string ExecRoot { get; init; }

    public required string StorageDriver { get; init; }

    public required string KernelVersion { get; init; }

    public required string OperatingSystem { get; init; }

    public required string OsVersion { get; init; }

    public required string Architecture { get; init; }

    public required int Cpus { get; init; }

    public required long MemTotal { get; init; }

    public required string CgroupDriver { get; init; }

    public required string CgroupVersion { get; init; }

    public required bool Debug { get; init; }

    public required string LoggingDriver { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public IReadOnlyList<string> RegistryMirrors { get; init; } = [];

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>OCI runtimes by name, with the binary each runs (<c>/info</c> Runtimes).</summary>
    public IReadOnlyDictionary<string, string> Runtimes { get; init; } = new Dictionary<string, string>();

    public string DefaultRuntime { get; init; } = "runc";

    public required DateTimeOffset SystemTime { get; init; }

    public required int Images { get; init; }

    public int ContainersRunning { get; init; }

    public int ContainersPaused { get; init; }

    public int ContainersStopped { get; init; }

    public required string HttpProxy { get; init; }

    public required string HttpsProxy { get; init; }

    public required string NoProxy { get; init; }
}
