using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// What the spec depends on about the host, gathered once by <see cref="HostFactsProbe"/> so
/// the builder itself stays pure and testable with made-up hosts.
/// </summary>
public sealed record HostFacts
{
    /// <summary>Go-style architecture name (<c>amd64</c>, <c>arm64</c>, <c>x86</c>, ...) used by seccomp's arch filters.</summary>
    public string Architecture { get; init; } = "amd64";

    /// <summary>Kernel major.minor, compared with seccomp rules' <c>minKernel</c>.</summary>
    public Version KernelVersion { get; init; } = new(6, 1);

    /// <summary>Highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public int CapLastCap { get; init; } = 40;

    /// <summary>
    /// Hard rlimits of the daemon by spec name (<c>RLIMIT_NOFILE</c>). Requested ulimits are
    /// clamped to these because raising a hard limit needs CAP_SYS_RESOURCE, which a host may
    /// not have (runc then fails the start with EPERM).
    /// </summary>
    public IReadOnlyDictionary<string, ulong> HardRlimits { get; init; } = new Dictionary<string, ulong>();

    /// <summary>Device nodes a privileged container gets (Docker lists the host's /dev).</summary>
    public IReadOnlyList<LinuxDevice> HostDevices { get; init; } = [];

    /// <summary>Extra masked paths that exist only on some hosts (per-CPU thermal_throttle).</summary>
    public IReadOnlyList<string> ExtraMaskedPaths { get; init; } = [];

    /// <summary>Sysctls the kernel has, for Docker's network defaults (ping_group_range, ip_unprivileged_port_start).</summary>
    public IReadOnlySet<string> AvailableSysctls { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Use the systemd cgroup driver's <c>slice:prefix:name</c> cgroupsPath form.</summary>
    public bool SystemdCgroups { get; init; }

    /// <summary>The AppArmor profile for unprivileged containers; null when AppArmor is off or not managed.</summary>
    public string? DefaultAppArmorProfile { get; init; }
}
