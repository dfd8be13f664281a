using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record SystemInfo
{
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Containers")]
    public int Containers { get; init; }

    [JsonPropertyName("ContainersRunning")]
    public int ContainersRunning { get; init; }

    [JsonPropertyName("ContainersPaused")]
    public int ContainersPaused { get; init; }

    [JsonPropertyName("ContainersStopped")]
    public int ContainersStopped { get; init; }

    [JsonPropertyName("Images")]
    public int Images { get; init; }

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "";

    [JsonPropertyName("DriverStatus")]
    public IReadOnlyList<IReadOnlyList<string>> DriverStatus { get; init; } = [];

    [JsonPropertyName("Plugins")]
    public PluginsInfo Plugins { get; init; } = new();

    [JsonPropertyName("MemoryLimit")]
    public bool MemoryLimit { get; init; }

    [JsonPropertyName("SwapLimit")]
    public bool SwapLimit { get; init; }

    [JsonPropertyName("KernelMemoryTCP")]
    public bool KernelMemoryTcp { get; init; }

    [JsonPropertyName("CpuCfsPeriod")]
    public bool CpuCfsPeriod { get; init; }

    [JsonPropertyName("CpuCfsQuota")]
    public bool CpuCfsQuota { get; init; }

    [JsonPropertyName("CPUShares")]
    public bool CpuShares { get; init; }

    [JsonPropertyName("CPUSet")]
    public bool CpuSet { get; init; }

    [JsonPropertyName("PidsLimit")]
    public bool PidsLimit { get; init; }

    [JsonPropertyName("IPv4Forwarding")]
    public bool IPv4Forwarding { get; init; }

    [JsonPropertyName("BridgeNfIptables")]
    public bool BridgeNfIptables { get; init; }

    [JsonPropertyName("BridgeNfIp6tables")]
    public bool BridgeNfIp6tables { get; init; }

    [JsonPropertyName("Debug")]
    public bool Debug { get; init; }

    [JsonPropertyName("NFd")]
    public int NFd { get; init; }

    [JsonPropertyName("OomKillDisable")]
    public bool OomKillDisable { get; init; }

    [JsonPropertyName("NGoroutines")]
    public int NGoroutines { get; init; }

    [JsonPropertyName("SystemTime")]
    public string SystemTime { get; init; } = "";

    [JsonPropertyName("LoggingDriver")]
    public string LoggingDriver { get; init; } = "";

    [JsonPropertyName("CgroupDriver")]
    public string CgroupDriver { get; init; } = "";

    [JsonPropertyName("CgroupVersion")]
    public string CgroupVersion { get; init; } = "";

    [JsonPropertyName("NEventsListener")]
    public int NEventsListener { get; init; }

    [JsonPropertyName("KernelVersion")]
    public string KernelVersion { get; init; } = "";

    [JsonPropertyName("OperatingSystem")]
    public string OperatingSystem { get; init; } = "";

    [JsonPropertyName("OSVersion")]
    public string OsVersion { get; init; } = "";

    [JsonPropertyName("OSType")]
    public string OsType { get; init; } = "";

    [JsonPropertyName("Architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("IndexServerAddress")]
    public string IndexServerAddress { get; init; } = "";

    [JsonPropertyName("RegistryConfig")]
    public RegistryServiceConfig RegistryConfig { get; init; } = new();

    [JsonPropertyName("NCPU")]
    public int NCpu { get; init; }

    [JsonPropertyName("MemTotal")]
    public long MemTotal { get; init; }

    [JsonPropertyName("GenericResources")]
    public IReadOnlyList<string>? GenericResources { get; init; }

    [JsonPropertyName("DockerRootDir")]
    public string DockerRootDir { get; init; } = "";

    [JsonPropertyName("HttpProxy")]
    public string HttpProxy { get; init; } = "";

    [JsonPropertyName("HttpsProxy")]
    public string HttpsProxy { get; init; } = "";

    [JsonPropertyName("NoProxy")]
    public string NoProxy { get; init; } = "";

    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Labels")]
    public IReadOnlyList<string> Labels { get; init; } = [];

    [JsonPropertyName("ExperimentalBuild")]
    public bool ExperimentalBuild { get; init; }

    [JsonPropertyName("ServerVersion")]
    public string ServerVersion { get; init; } = "";

    [JsonPropertyName("Runtimes")]
    public IReadOnlyDictionary<string, RuntimeInfo> Runtimes { get; init; } = new Dictionary<string, RuntimeInfo>();

    [JsonPropertyName("DefaultRuntime")]
    public string DefaultRuntime { get; init; } = "";

    [JsonPropertyName("Swarm")]
    public SwarmInfo Swarm { get; init; } = new();

    [JsonPropertyName("LiveRestoreEnabled")]
    public bool LiveRestoreEnabled { get; init; }

    [JsonPropertyName("Isolation")]
    public string Isolation { get; init; } = "";

    [JsonPropertyName("InitBinary")]
    public string InitBinary { get; init; } = "";

    [JsonPropertyName("ContainerdCommit")]
    public CommitInfo ContainerdCommit { get; init; } = new();

    [JsonPropertyName("RuncCommit")]
    public CommitInfo RuncCommit { get; init; } = new();

    [JsonPropertyName("InitCommit")]
    public CommitInfo InitCommit { get; init; } = new();

    [JsonPropertyName("SecurityOptions")]
    public IReadOnlyList<string> SecurityOptions { get; init; } = [];

    [JsonPropertyName("Warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }
}
