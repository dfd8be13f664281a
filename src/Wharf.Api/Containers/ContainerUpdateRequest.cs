using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>Body of <c>POST /containers/{id}/update</c>: the Resources part of HostConfig plus RestartPolicy. Absent (null) means unchanged.</summary>
public sealed record ContainerUpdateRequest
{
    [JsonPropertyName("CpuShares")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuShares { get; init; }

    [JsonPropertyName("Memory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Memory { get; init; }

    [JsonPropertyName("NanoCpus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? NanoCpus { get; init; }

    [JsonPropertyName("CgroupParent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CgroupParent { get; init; }

    [JsonPropertyName("BlkioWeight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? BlkioWeight { get; init; }

    [JsonPropertyName("BlkioWeightDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WeightDevice>? BlkioWeightDevice { get; init; }

    [JsonPropertyName("BlkioDeviceReadBps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceReadBps { get; init; }

    [JsonPropertyName("BlkioDeviceWriteBps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceWriteBps { get; init; }

    [JsonPropertyName("BlkioDeviceReadIOps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceReadIOps { get; init; }

    [JsonPropertyName("BlkioDeviceWriteIOps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ThrottleDevice>? BlkioDeviceWriteIOps { get; init; }

    [JsonPropertyName("CpuPeriod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuPeriod { get; init; }

    [JsonPropertyName("CpuQuota")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuQuota { get; init; }

    [JsonPropertyName("CpuRealtimePeriod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuRealtimePeriod { get; init; }

    [JsonPropertyName("CpuRealtimeRuntime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuRealtimeRuntime { get; init; }

    [JsonPropertyName("CpusetCpus")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CpusetCpus { get; init; }

    [JsonPropertyName("CpusetMems")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CpusetMems { get; init; }

    [JsonPropertyName("Devices")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DeviceMapping>? Devices { get; init; }

    [JsonPropertyName("DeviceCgroupRules")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DeviceCgroupRules { get; init; }

    [JsonPropertyName("DeviceRequests")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DeviceRequest>? DeviceRequests { get; init; }

    [JsonPropertyName("KernelMemory")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemory { get; init; }

    [JsonPropertyName("KernelMemoryTCP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? KernelMemoryTCP { get; init; }

    [JsonPropertyName("MemoryReservation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MemoryReservation { get; init; }

    [JsonPropertyName("MemorySwap")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MemorySwap { get; init; }

    [JsonPropertyName("MemorySwappiness")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MemorySwappiness { get; init; }

    [JsonPropertyName("OomKillDisable")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OomKillDisable { get; init; }

    [JsonPropertyName("PidsLimit")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PidsLimit { get; init; }

    [JsonPropertyName("Ulimits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Ulimit>? Ulimits { get; init; }

    [JsonPropertyName("CpuCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuCount { get; init; }

    [JsonPropertyName("CpuPercent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CpuPercent { get; init; }

    [JsonPropertyName("IOMaximumIOps")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? IOMaximumIOps { get; init; }

    [JsonPropertyName("IOMaximumBandwidth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? IOMaximumBandwidth { get; init; }

    [JsonPropertyName("RestartPolicy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RestartPolicy? RestartPolicy { get; init; }
}
