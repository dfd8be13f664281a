using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

public sealed partial class RuntimeSpecBuilder
{
    /// <summary>
    /// Docker's withMounts: defaults (minus those a user mount replaces, everything under /dev
    /// when /dev itself is user-mounted, and /dev/shm for IPC none), the init binary, then user
    /// mounts ordered by depth so /etc is mounted before /etc/resolv.conf.
    /// </summary>
    private IReadOnlyList<Mount> BuildMounts(ContainerSpecRequest request)
    {
        var userMounts = UserMounts(request);
        var userDestinations = userMounts.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var devMounted = userDestinations.Contains("/dev");
        var shmSize = request.ShmSize == 0 ? DockerDefaults.DefaultShmSize : request.ShmSize;

        var defaults = new List<Mount>();
        foreach (var m in DockerDefaults.Mounts)
        {
            if (userDestinations.Contains(m.Destination) || (devMounted && m.Destination.StartsWith("/dev/", StringComparison.Ordinal)))
            {
                continue;
            }
            if (m.Destination == "/dev/shm")
            {
                if (request.IpcMode.Kind == NamespaceModeKind.None)
                {
                    continue;
                }
                defaults.Add(m with { Options = [.. m.Options!, $"size={shmSize}"] });
                continue;
            }
            defaults.Add(m);
        }
        if (request.InitPath is not null && request.PidMode.Kind == NamespaceModeKind.Private)
        {
            defaults.Add(new Mount { Destination = InitPathInContainer, Type = "bind", Source = request.InitPath, Options = ["bind", "ro"] });
        }

        if (request.ReadonlyRootfs)
        {
            // A read-only rootfs makes every non-user mount read-only too, except the ones a
            // process needs to write to for the system to work at all.
            string[] keepWritable = ["/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev"];
            for (var i = 0; i < defaults.Count; i++)
            {
                var m = defaults[i];
                if (!keepWritable.Contains(m.Destination) && !(m.Options ?? []).Contains("ro"))
                {
                    defaults[i] = m with { Options = [.. m.Options ?? [], "ro"] };
                }
            }
        }
        if (request.Privileged)
        {
            // Privileged containers get a writable /sys and writable cgroup mounts.
            for (var i = 0; i < defaults.Count; i++)
            {
                if (defaults[i].Destination == "/sys" || defaults[i].Type == "cgroup")
                {
                    defaults[i] = defaults[i] with { Options = [.. defaults[i].Options!.Where(o => o != "ro")] };
                }
            }
        }
        return [.. defaults, .. userMounts.Select(ToSpecMount)];
    }

    /// <summary>User mounts plus HostConfig.Tmpfs and the network files, stably sorted by path depth.</summary>
    private static List<ContainerMount> UserMounts(ContainerSpecRequest request)
    {
        var all = new List<ContainerMount>(request.Mounts);
        foreach (var (destination, options) in request.Tmpfs)
        {
            all.Add(new ContainerMount { Destination = destination, Source = "tmpfs", Type = ContainerMountType.Tmpfs, TmpfsOptions = options });
        }
        var taken = all.Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        // A user mount on one of these files wins over the generated one, as in Docker.
        void AddHostFile(string? source, string destination)
        {
            if (source is not null && !taken.Contains(destination))
            {
                all.Add(new ContainerMount { Destination = destination, Source = source, Writable = !request.ReadonlyRootfs });
            }
        }
        AddHostFile(request.ResolvConfPath, "/etc/resolv.conf");
        AddHostFile(request.HostnamePath, "/etc/hostname");
        AddHostFile(request.HostsPath, "/etc/hosts");
        return [.. all.OrderBy(m => Depth(m.Destination))];
    }

    private static int Depth(string destination) => CommandResolver.CleanPath(destination).Count(c => c == '/');

    private static Mount ToSpecMount(ContainerMount m)
    {
        if (m.Type == ContainerMountType.Tmpfs)
        {
            return new Mount { Destination = m.Destination, Type = "tmpfs", Source = "tmpfs", Options = TmpfsOptions.Build(m.TmpfsOptions) };
        }
        List<string> options = [m.NonRecursive ? "bind" : "rbind"];
        if (!m.Writable)
        {
            // Docker prefers "rro" (recursively read-only) where the runtime supports it;
            // plain "ro" is what every runc understands.
            options.Add("ro");
        }
        if (m.Propagation.Length > 0)
        {
            options.Add(m.Propagation);
        }
        return new Mount { Destination = m.Destination, Type = "bind", Source = m.Source, Options = options };
    }
}
