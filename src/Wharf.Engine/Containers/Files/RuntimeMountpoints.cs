namespace Wharf.Engine.Containers.Files;

/// <summary>
/// The paths Docker creates in a container's init layer (below its writable layer, so they are
/// never changes). Wharf's runtime creates them as mount points in the writable layer itself;
/// changes and commits leave them out when they are what the runtime made (empty).
/// </summary>
internal static class RuntimeMountpoints
{
    public static readonly IReadOnlySet<string> InitLayer = new HashSet<string>(StringComparer.Ordinal)
    {
        "/.dockerenv",
        "/dev",
        "/dev/console",
        "/dev/pts",
        "/dev/shm",
        "/etc/hostname",
        "/etc/hosts",
        "/etc/mtab",
        "/etc/resolv.conf",
        "/proc",
        "/sys",
    };
}
