using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary><c>HostConfig</c> of a create request and of container inspect (API 1.47 fields, Resources flattened in). Inspect writes every field; unset lists are null, and only the omitempty ones (Annotations, StorageOpt, Tmpfs, Sysctls, Runtime, Mounts, Init, KernelMemory*) are dropped when null.</summary>
public sealed record HostConfig
{
    [JsonPropertyName("Binds")]
    public IReadOnlyList<string>? Binds { get; init; }

    [JsonPropertyName("ContainerIDFile")]
    public string ContainerIdFile { get; init; } = "";

    [JsonPropertyName("LogConfig")]
    public LogConfig LogConfig { get; init; } = new();

    [JsonPropertyName("NetworkMode")]
    public string NetworkMode { get; init; } = "";

    [JsonPropertyName("PortBindings")]
    public IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? PortBindings { get; init; }

    [JsonPropertyName("RestartPolicy")]
    public RestartPolicy RestartPolicy { get; init; } = new();

    [JsonPropertyName("AutoRemove")]
    public bool AutoRemove { get; init; }

    [JsonPropertyName("VolumeDriver")]
    public string VolumeDriver { get; init; } = "";

    [JsonPropertyName("VolumesFrom")]
    public IReadOnlyList<string>? VolumesFrom { get; init; }

    /// <summary>[height, width]; always written, [0, 0] when unset.</summary>
    [JsonPropertyName("ConsoleSize")]
    public IReadOnlyList<uint>? ConsoleSize { get; init; } = [0, 0];

    /// <summary>API 1.43+.</summary>
    [JsonPropertyName("Annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("CapAdd")]
    public IReadOnlyList<string>? CapAdd { get; init; }

    [JsonPropertyName("CapDrop")]
    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>dockerd fills "host" (cgroup v1) or "private" (v2) when empty.</summary>
    [JsonPropertyName("CgroupnsMode")]
    public string CgroupnsMode { get; init; } = "";

    [JsonPropertyName("Dns")]
    public IReadOnlyList<string>? Dns { get; init; }

    [JsonPropertyName("DnsOptions")]
    public IReadOnlyList<string>? DnsOptions { get; init; }

    [JsonPropertyName("DnsSearch")]
    public IReadOnlyList<string>? DnsSearch { get; init; }

    [JsonPropertyName("ExtraHosts")]
    public IReadOnlyList<string>? ExtraHosts { get; init; }

    [JsonPropertyName("GroupAdd")]
    public IReadOnlyList<string>? GroupAdd { get; init; }

    [JsonPropertyName("IpcMode")]
    public string IpcMode { get; init; } = "";

    [JsonPropertyName("Cgroup")]
    public string Cgroup { get; init; } = "";

    [JsonPropertyName("Links")]
    public IReadOnlyList<string>? Links { get; init; }

    [JsonPropertyName("OomScoreAdj")]
    public int OomScoreAdj { get; init; }

    [JsonPropertyName("PidMode")]
    public string PidMode { get; init; } = "";

    [JsonPropertyName("Privileged")]
    public bool Privileged { get; init; }

    [JsonPropertyName("PublishAllPorts")]
    public bool PublishAllPorts { get; init; }

    [JsonPropertyName("ReadonlyRootfs")]
    public bool ReadonlyRootfs { get; init; }

    [JsonPropertyName("SecurityOpt")]
    public IReadOnlyList<string>? SecurityOpt { get; init; }

    [JsonPropertyName("StorageOpt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? StorageOpt { get; init; }

    [JsonPropertyName("Tmpfs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    [JsonPropertyName("UTSMode")]
    public string UtsMode { get; init; } = "";

    [JsonPropertyName("UsernsMode")]
    public string UsernsMode { get; init; } = "";

    [JsonPropertyName("ShmSize")]
    public long ShmSize { get; init; }

    [JsonPropertyName("Sysctls")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }

    [JsonPropertyName("Runtime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Runtime { get; init; }

    [JsonPropertyName("Isolation")]
    public string Isolation { get; init; } = "";

    [JsonPropertyName("CpuShares")]
    public long CpuShares { get; init; }

    [JsonPropertyName("Memory")]
    public long Memory { get; init; }

    [JsonPropertyName("NanoCpus")]
    public long NanoCpus { get; init; }

    [JsonPropertyName("CgroupParent")]
    public string CgroupParent { get; init; } = "";

    [JsonPropertyName("BlkioWeight")]
    public ushort BlkioWeight { get; init; }

    [JsonPropertyName("BlkioWeightDevice")]
    public IReadOnlyList<WeightDevice>? BlkioWeightDevice { get; init; }

    [JsonPropertyName("BlkioDeviceReadBps")]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceReadBps { get; init; }

    [JsonPropertyName("BlkioDeviceWriteBps")]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceWriteBps { get; init; }

    [JsonPropertyName("BlkioDeviceReadIOps")]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceReadIOps { get; init; }

    [JsonPropertyName("BlkioDeviceWriteIOps")]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceWriteIOps { get; init; }

    [JsonPropertyName("CpuPeriod")]
    public long CpuPeriod { get; init; }

    [JsonPropertyName("CpuQuota")]
    public long CpuQuota { get; init; }

    [JsonPropertyName("CpuRealtimePeriod")]
    public long CpuRealtimePeriod { get; init; }

    [JsonPropertyName("CpuRealtimeRuntime")]
    public long CpuRealtimeRuntime { get; init; }

    [JsonPropertyName("CpusetCpus")]
    public string CpusetCpus { get; init; } = "";

    [JsonPropertyName("CpusetMems")]
    public string CpusetMems { get; init; } = "";

    [JsonPropertyName("Devices")]
    public IReadOnlyList<DeviceMapping>? Devices { get; init; }

    [JsonPropertyName("DeviceCgroupRules")]
    public IReadOnlyList<string>? DeviceCgroupRules { get; init; }

    [JsonPropertyName("DeviceRequests")]
    public IReadOnlyList<DeviceRequest>? DeviceRequests { get; init; }

    /// <summary>Written (0) by API 1.41; removed from later APIs.</summary>
    [JsonPropertyName("KernelMemory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemory { get; init; }

    /// <summary>Written (0) by API 1.41; omitempty in later APIs.</summary>
    [JsonPropertyName("KernelMemoryTCP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemoryTCP { get; init; }

    [JsonPropertyName("MemoryReservation")]
    public long MemoryReservation { get; init; }

    [JsonPropertyName("MemorySwap")]
    public long MemorySwap { get; init; }

    [JsonPropertyName("MemorySwappiness")]
    public long? MemorySwappiness { get; init; }

    [JsonPropertyName("OomKillDisable")]
    public bool? OomKillDisable { get; init; }

    /// <summary>null means unlimited (dockerd stores 0 and -1 as null).</summary>
    [JsonPropertyName("PidsLimit")]
    public long? PidsLimit { get; init; }

    [JsonPropertyName("Ulimits")]
    public IReadOnlyList<Ulimit>? Ulimits { get; init; }

    [JsonPropertyName("CpuCount")]
    public long CpuCount { get; init; }

    [JsonPropertyName("CpuPercent")]
    public long CpuPercent { get; init; }

    [JsonPropertyName("IOMaximumIOps")]
    public ulong IOMaximumIOps { get; init; }

    [JsonPropertyName("IOMaximumBandwidth")]
    public ulong IOMaximumBandwidth { get; init; }

    [JsonPropertyName("Mounts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Mount>? Mounts { get; init; }

    [JsonPropertyName("MaskedPaths")]
    public IReadOnlyList<string>? MaskedPaths { get; init; }

    [JsonPropertyName("ReadonlyPaths")]
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    [JsonPropertyName("Init")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Init { get; init; }

    /// <summary>Wharf extension: limit of traffic into the container, bits per second (tc tbf on the host end of each bridge endpoint); null or 0 for none. Inspect shows the effective value, also when it came from the <c>io.wharf.network.rate.ingress</c> label.</summary>
    [JsonPropertyName("WharfNetworkRateIngress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? WharfNetworkRateIngress { get; init; }

    /// <summary>Wharf extension: limit of traffic out of the container, bits per second (tc tbf on each of its bridge interfaces); null or 0 for none.</summary>
    [JsonPropertyName("WharfNetworkRateEgress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? WharfNetworkRateEgress { get; init; }
}
