using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// The fixed parts of Docker's default Linux spec (moby <c>oci.DefaultLinuxSpec</c>): mounts,
/// masked and read-only /proc and /sys paths, and the device cgroup rules.
/// </summary>
internal static class DockerDefaults
{
    public const long DefaultShmSize = 64L * 1024 * 1024;

    public static IReadOnlyList<string> MaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
        "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware",
    ];

    public static IReadOnlyList<string> ReadonlyPaths { get; } =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>The default mounts in Docker's order; /dev/shm gets its size option later.</summary>
    public static IReadOnlyList<Mount> Mounts { get; } =
    [
        M("/proc", "proc", "proc", "nosuid", "noexec", "nodev"),
        M("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
        M("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
        M("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
        M("/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev"),
        M("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
        M("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777"),
    ];

    /// <summary>
    /// Device cgroup rules: Docker's list (deny everything; allow null, zero, urandom, random,
    /// tty, console; deny /dev/fuse) followed by the rules runc appends on its own (mknod of
    /// any node, full, ptmx, the pts slaves), written out so the spec is complete for runtimes
    /// that do not add them. The order matters on cgroup v1: a rule that narrows an earlier
    /// wildcard ("deny c 10:229" after "allow c *:* m") cannot be expressed and runc refuses it,
    /// so the wildcards come after the fuse deny, exactly where runc puts them.
    /// </summary>
    public static IReadOnlyList<LinuxDeviceCgroup> DeviceRules { get; } =
    [
        new() { Allow = false, Access = "rwm" },
        Allow("c", 1, 5), // /dev/zero
        Allow("c", 1, 3), // /dev/null
        Allow("c", 1, 9), // /dev/urandom
        Allow("c", 1, 8), // /dev/random
        Allow("c", 5, 0), // /dev/tty
        Allow("c", 5, 1), // /dev/console
        new() { Allow = false, Type = "c", Major = 10, Minor = 229, Access = "rwm" }, // /dev/fuse
        new() { Allow = true, Type = "c", Access = "m" },
        new() { Allow = true, Type = "b", Access = "m" },
        Allow("c", 1, 7), // /dev/full
        Allow("c", 5, 2), // /dev/ptmx
        new() { Allow = true, Type = "c", Major = 136, Access = "rwm" }, // /dev/pts/*
    ];

    private static LinuxDeviceCgroup Allow(string type, long major, long minor) =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = "rwm" };

    private static Mount M(string destination, string type, string source, params string[] options) =>
        new() { Destination = destination, Type = type, Source = source, Options = options };
}
