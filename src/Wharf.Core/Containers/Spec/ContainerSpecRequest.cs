namespace Wharf.Core.Containers.Spec;

/// <summary>
/// Everything Docker's <c>Config</c> and <c>HostConfig</c> contribute to a container's OCI spec,
/// with host-side resources already resolved by the caller (volume sources, namespace paths of
/// other containers, resolv.conf/hosts/hostname files, device numbers). The image's config is
/// given separately in <see cref="Image"/> and merged with Docker's rules.
/// </summary>
public sealed record ContainerSpecRequest
{
    /// <summary>The full 64-hex container id; its first 12 characters are the default hostname.</summary>
    public required string Id { get; init; }

    /// <summary>Host path of the container's root filesystem (the mounted snapshot).</summary>
    public required string RootfsPath { get; init; }

    public bool ReadonlyRootfs { get; init; }

    /// <summary>The image config's defaults; null for a container without an image config.</summary>
    public ImageRunDefaults? Image { get; init; }

    /// <summary>Null means "not given" (take the image's); an empty list or <c>[""]</c> clears the image's entrypoint.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary><c>KEY=value</c> entries; a bare <c>KEY</c> removes a default such as PATH.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public string WorkingDir { get; init; } = "";

    /// <summary><c>name</c>, <c>uid</c>, <c>uid:gid</c>, <c>name:group</c>; empty takes the image's, then root.</summary>
    public string User { get; init; } = "";

    public bool Tty { get; init; }

    /// <summary>Only changes how stdio is wired, never the spec; kept so the request mirrors Config.</summary>
    public bool OpenStdin { get; init; }

    /// <summary>Initial terminal size (height, width) when <see cref="Tty"/> is set; zeros leave it to the runtime.</summary>
    public (uint Height, uint Width) ConsoleSize { get; init; }

    /// <summary>Empty means the first 12 characters of <see cref="Id"/>, as Docker does at create.</summary>
    public string Hostname { get; init; } = "";

    public string Domainname { get; init; } = "";

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    public bool Privileged { get; init; }

    /// <summary><c>no-new-privileges</c>, <c>seccomp=unconfined</c>, <c>seccomp=&lt;profile JSON&gt;</c>, <c>apparmor=...</c>, <c>label=...</c>.</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    /// <summary>Replaces the default list when non-null (even when empty), as HostConfig.MaskedPaths does.</summary>
    public IReadOnlyList<string>? MaskedPaths { get; init; }

    /// <summary>Replaces the default list when non-null (even when empty), as HostConfig.ReadonlyPaths does.</summary>
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    /// <summary>Host path of the init binary (tini) for <c>--init</c>; null runs the command as PID 1.</summary>
    public string? InitPath { get; init; }

    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>Destination to tmpfs options (<c>size=64m,mode=1777</c>), as HostConfig.Tmpfs.</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    /// <summary>Bytes for /dev/shm; 0 means Docker's 64 MiB.</summary>
    public long ShmSize { get; init; }

    /// <summary>Binds, volumes and tmpfs mounts, already resolved to host sources.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    public NamespaceMode PidMode { get; init; } = NamespaceMode.Private;

    /// <summary>Docker's <c>private</c>/<c>shareable</c> are <see cref="NamespaceMode.Private"/>; <c>none</c> also drops /dev/shm.</summary>
    public NamespaceMode IpcMode { get; init; } = NamespaceMode.Private;

    public NamespaceMode UtsMode { get; init; } = NamespaceMode.Private;

    /// <summary>Bridge and <c>none</c> networks are both a new namespace; the network driver fills it later.</summary>
    public NamespaceMode NetworkMode { get; init; } = NamespaceMode.Private;

    /// <summary>Docker's default is a private cgroup namespace on cgroup v2 hosts and the host's on v1.</summary>
    public bool CgroupnsPrivate { get; init; }

    public int OomScoreAdj { get; init; }

    public ContainerResources Resources { get; init; } = new();

    public IReadOnlyList<DeviceMapping> Devices { get; init; } = [];

    /// <summary>Parent cgroup; null means <c>/docker</c> (cgroupfs) or <c>system.slice</c> (systemd).</summary>
    public string? CgroupParent { get; init; }

    /// <summary>An explicit cgroupsPath that wins over parent + id (tests use a unique one).</summary>
    public string? CgroupsPath { get; init; }

    public string? ResolvConfPath { get; init; }

    public string? HostsPath { get; init; }

    public string? HostnamePath { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The OCI runtime to create the container with; null means the runtime driver's own default (runc).</summary>
    public OciRuntimeConfig? Runtime { get; init; }
}
