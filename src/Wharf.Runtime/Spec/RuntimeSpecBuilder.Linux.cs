using Wharf.Core.Errors;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

public sealed partial class RuntimeSpecBuilder
{
    private LinuxSpec BuildLinux(ContainerSpecRequest request, SecurityOptions security, IReadOnlyList<string> bounding)
    {
        var (devices, deviceRules) = Devices(request);
        var masked = request.Privileged ? null : Concat(DockerDefaults.MaskedPaths, host.ExtraMaskedPaths);
        var readonlyPaths = request.Privileged ? null : DockerDefaults.ReadonlyPaths;
        // An explicit list from HostConfig wins, even over --privileged.
        if (request.MaskedPaths is not null)
        {
            masked = request.MaskedPaths;
        }
        if (request.ReadonlyPaths is not null)
        {
            readonlyPaths = request.ReadonlyPaths;
        }

        return new LinuxSpec
        {
            Sysctl = Sysctls(request),
            Resources = new LinuxResources
            {
                Devices = deviceRules,
                Memory = ResourceMapper.Memory(request.Resources),
                Cpu = ResourceMapper.Cpu(request.Resources),
                Pids = ResourceMapper.Pids(request.Resources),
                BlockIo = ResourceMapper.BlockIo(request.Resources),
            },
            CgroupsPath = CgroupsPath(request),
            Namespaces = Namespaces(request),
            Devices = devices,
            Seccomp = BuildSeccomp(request, security, bounding),
            MaskedPaths = masked,
            ReadonlyPaths = readonlyPaths,
        };
    }

    private static IReadOnlyList<string> Concat(IReadOnlyList<string> a, IReadOnlyList<string> b) => b.Count == 0 ? a : [.. a, .. b];

    /// <summary>
    /// Docker's namespace order (mount, network, uts, pid, ipc), each replaced in place when
    /// joined and dropped when the host's is used. No time namespace: runtime-spec 1.0.2 and
    /// runc 1.1 do not know it.
    /// </summary>
    private static List<LinuxNamespace> Namespaces(ContainerSpecRequest request)
    {
        var list = new List<LinuxNamespace> { new() { Type = "mount" } };
        Add(list, "network", request.NetworkMode);
        Add(list, "uts", request.UtsMode);
        Add(list, "pid", request.PidMode);
        Add(list, "ipc", request.IpcMode);
        if (request.CgroupnsPrivate)
        {
            list.Add(new LinuxNamespace { Type = "cgroup" });
        }
        return list;

        static void Add(List<LinuxNamespace> list, string type, NamespaceMode mode)
        {
            switch (mode.Kind)
            {
                case NamespaceModeKind.Host:
                    break;
                case NamespaceModeKind.Join or NamespaceModeKind.Prepared:
                    list.Add(new LinuxNamespace { Type = type, Path = mode.Path });
                    break;
                default:
                    list.Add(new LinuxNamespace { Type = type });
                    break;
            }
        }
    }

    /// <summary>
    /// Docker's defaults for a new network namespace (ping without CAP_NET_RAW, low ports
    /// without CAP_NET_BIND_SERVICE) when the kernel has them, the NIS domain name (which the
    /// spec has no field for in Docker's use), then the user's sysctls, which win.
    /// </summary>
    private Dictionary<string, string> Sysctls(ContainerSpecRequest request)
    {
        var sysctl = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.NetworkMode.Kind is NamespaceModeKind.Private or NamespaceModeKind.None or NamespaceModeKind.Prepared)
        {
            if (host.AvailableSysctls.Contains("net.ipv4.ping_group_range"))
            {
                sysctl["net.ipv4.ping_group_range"] = "0 2147483647";
            }
            if (host.AvailableSysctls.Contains("net.ipv4.ip_unprivileged_port_start"))
            {
                sysctl["net.ipv4.ip_unprivileged_port_start"] = "0";
            }
        }
        if (request.Domainname.Length > 0)
        {
            sysctl["kernel.domainname"] = request.Domainname;
        }
        foreach (var (k, v) in request.Sysctls)
        {
            sysctl[k] = v;
        }
        return sysctl;
    }

    private string CgroupsPath(ContainerSpecRequest request)
    {
        if (request.CgroupsPath is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }
        if (host.SystemdCgroups)
        {
            return $"{request.CgroupParent ?? "system.slice"}:docker:{request.Id}";
        }
        var parent = request.CgroupParent ?? "/docker";
        return parent.TrimEnd('/') + "/" + request.Id;
    }

    /// <summary>
    /// Docker leaves linux.devices empty by default: the runtime creates null, zero, full,
    /// random, urandom, tty, console (from the pty) and ptmx itself. Privileged containers get
    /// every host device and one allow-all cgroup rule instead of the default rules.
    /// </summary>
    private (IReadOnlyList<LinuxDevice> Devices, IReadOnlyList<LinuxDeviceCgroup> Rules) Devices(ContainerSpecRequest request)
    {
        var devices = new List<LinuxDevice>();
        List<LinuxDeviceCgroup> rules;
        if (request.Privileged)
        {
            devices.AddRange(host.HostDevices);
            devices.AddRange(request.Devices.Where(d => !host.HostDevices.Any(h => h.Path == d.PathInContainer)).Select(ToDevice));
            rules = [new LinuxDeviceCgroup { Allow = true, Access = "rwm" }];
        }
        else
        {
            rules = [.. DockerDefaults.DeviceRules];
            foreach (var d in request.Devices)
            {
                if (d.CgroupPermissions.Length == 0 || d.CgroupPermissions.Any(c => c is not ('r' or 'w' or 'm')))
                {
                    throw WharfException.Invalid($"invalid device mode: {d.CgroupPermissions}");
                }
                devices.Add(ToDevice(d));
                rules.Add(new LinuxDeviceCgroup { Allow = true, Type = d.Type, Major = d.Major, Minor = d.Minor, Access = d.CgroupPermissions });
            }
        }
        return (devices, rules);
    }

    private static LinuxDevice ToDevice(DeviceMapping d) => new()
    {
        Path = d.PathInContainer,
        Type = d.Type,
        Major = d.Major,
        Minor = d.Minor,
        FileMode = d.FileMode,
        Uid = d.Uid,
        Gid = d.Gid,
    };
}
