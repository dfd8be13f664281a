namespace Wharf.Core.Containers;

/// <summary>The parts of Docker's HostConfig the engine acts on, validated at the API edge.</summary>
public sealed record ContainerHostSettings
{
    public string NetworkMode { get; init; } = "bridge";

    public bool AutoRemove { get; init; }

    /// <summary>HostConfig.Runtime: the OCI runtime's name; empty at the API edge means the daemon's default (resolved at create).</summary>
    public string Runtime { get; init; } = "";

    public RestartPolicy RestartPolicy { get; init; } = new();

    public bool Privileged { get; init; }

    public bool ReadonlyRootfs { get; init; }

    public bool Init { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public IReadOnlyList<string> Binds { get; init; } = [];

    /// <summary>HostConfig.Mounts (<c>--mount</c>).</summary>
    public IReadOnlyList<Mounts.MountSpec> Mounts { get; init; } = [];

    /// <summary><c>container[:ro|rw]</c> entries of <c>--volumes-from</c>.</summary>
    public IReadOnlyList<string> VolumesFrom { get; init; } = [];

    /// <summary>Driver for volumes this container creates; empty means local.</summary>
    public string VolumeDriver { get; init; } = "";

    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    public long ShmSize { get; init; }

    public string PidMode { get; init; } = "";

    public string IpcMode { get; init; } = "";

    public string UtsMode { get; init; } = "";

    public int OomScoreAdj { get; init; }

    public long Memory { get; init; }

    public long MemorySwap { get; init; }

    public long MemoryReservation { get; init; }

    public long NanoCpus { get; init; }

    public long CpuShares { get; init; }

    public long CpuQuota { get; init; }

    public long CpuPeriod { get; init; }

    /// <summary>Real-time scheduler period in microseconds (cgroup v1 <c>cpu.rt_period_us</c>); 0 leaves the kernel's value.</summary>
    public long CpuRealtimePeriod { get; init; }

    /// <summary>Real-time scheduler runtime in microseconds (cgroup v1 <c>cpu.rt_runtime_us</c>); 0 leaves it unset.</summary>
    public long CpuRealtimeRuntime { get; init; }

    public string CpusetCpus { get; init; } = "";

    public string CpusetMems { get; init; } = "";

    public long? PidsLimit { get; init; }

    public int BlkioWeight { get; init; }

    public string LogMaxSize { get; init; } = "";

    public string LogMaxFile { get; init; } = "";

    /// <summary>HostConfig.PortBindings, parsed: what to publish at start.</summary>
    public IReadOnlyList<Networks.PortRequest> PortBindings { get; init; } = [];

    /// <summary><c>-P</c>: every exposed port without a binding gets an ephemeral host port.</summary>
    public bool PublishAllPorts { get; init; }

    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary><c>--dns-search</c>: replaces the host's search domains; <c>.</c> alone means none.</summary>
    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    /// <summary><c>--dns-option</c>: replaces the host's resolver options.</summary>
    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>Initial terminal height for a tty container (HostConfig.ConsoleSize[0]); 0 leaves the runtime's (0x0).</summary>
    public uint ConsoleHeight { get; init; }

    /// <summary>Initial terminal width (HostConfig.ConsoleSize[1]).</summary>
    public uint ConsoleWidth { get; init; }

    /// <summary>Wharf extension: bits per second into the container on each bridge endpoint; 0 for no limit.</summary>
    public long NetworkRateIngress { get; init; }

    /// <summary>Wharf extension: bits per second out of the container on each bridge endpoint; 0 for no limit.</summary>
    public long NetworkRateEgress { get; init; }
}
