namespace Wharf.Daemon;

/// <summary>wharfd's settings after merging flags and daemon.json (keys as dockerd's).</summary>
internal sealed record DaemonOptions
{
    public const string DefaultSocket = "unix:///run/wharf/wharf.sock";

    public List<string> Hosts { get; init; } = [];

    public string DataRoot { get; init; } = "/var/lib/wharf";

    public string ExecRoot { get; init; } = "/run/wharf";

    public string? Pidfile { get; init; }

    public string ConfigFile { get; init; } = "/etc/wharf/daemon.json";

    public bool ConfigFileGiven { get; init; }

    public string LogLevel { get; init; } = "info";

    public bool Debug { get; init; }

    public string? StorageDriver { get; init; }

    /// <summary>Parent cgroup for containers (dockerd's <c>cgroup-parent</c>); default <c>/wharf</c>.</summary>
    public string CgroupParent { get; init; } = "/wharf";

    /// <summary>The real-time period (µs) given to the containers' parent cgroup (dockerd's <c>cpu-rt-period</c>); 0 leaves it.</summary>
    public long CpuRealtimePeriod { get; init; }

    /// <summary>The real-time runtime (µs) given to the containers' parent cgroup (dockerd's <c>cpu-rt-runtime</c>); 0 leaves it.</summary>
    public long CpuRealtimeRuntime { get; init; }

    /// <summary>The default bridge's interface (dockerd's <c>--bridge</c>); <c>none</c> turns the default bridge network off.</summary>
    public string Bridge { get; init; } = "wharf0";

    /// <summary>The default bridge's address and prefix (<c>--bip</c>); empty picks a free subnet.</summary>
    public string Bip { get; init; } = "";

    /// <summary>Whether wharfd adds iptables rules (masquerade, forwarding, isolation) in its own chains.</summary>
    public bool Iptables { get; init; } = true;

    /// <summary>What <c>host-gateway</c> in <c>--add-host</c> stands for (dockerd's <c>host-gateway-ip</c>); empty: the default bridge's gateway.</summary>
    public string HostGatewayIp { get; init; } = "";

    /// <summary><c>--icc</c>: containers on the default bridge may reach each other.</summary>
    public bool Icc { get; init; } = true;

    /// <summary><c>--ip-masq</c>: masquerade of the default bridge's outbound traffic.</summary>
    public bool IpMasquerade { get; init; } = true;

    /// <summary><c>--ip</c>: the default host address of published ports on the default bridge.</summary>
    public string DefaultBindingIp { get; init; } = "0.0.0.0";

    /// <summary><c>--mtu</c>: the default bridge's MTU; 0 for 1500.</summary>
    public int Mtu { get; init; }

    /// <summary><c>default-address-pools</c>: (base, size) pairs subnets are picked from.</summary>
    public List<(string Base, int Size)> DefaultAddressPools { get; init; } = [];

    /// <summary>Runtimes added with <c>--add-runtime</c> or daemon.json's <c>runtimes</c> (runc is always there).</summary>
    public List<Core.Containers.OciRuntimeConfig> Runtimes { get; init; } = [];

    /// <summary><c>default-runtime</c>: the runtime of containers that name none.</summary>
    public string DefaultRuntime { get; init; } = "runc";

    public List<string> Labels { get; init; } = [];

    public List<string> RegistryMirrors { get; init; } = [];

    public List<string> InsecureRegistries { get; init; } = [];

    public int MaxConcurrentDownloads { get; init; } = 3;

    public int MaxConcurrentUploads { get; init; } = 5;

    public bool ShowHelp { get; init; }

    public bool ShowVersion { get; init; }
}
