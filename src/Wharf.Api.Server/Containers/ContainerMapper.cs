using System.Text.Json;
using Wharf.Api.Containers;
using Wharf.Api.Images;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using DomainState = Wharf.Core.Containers.ContainerState;
using WireState = Wharf.Api.Containers.ContainerState;

namespace Wharf.Api.Server.Containers;

/// <summary>Docker wire shapes ⇄ the engine's container records.</summary>
internal static class ContainerMapper
{
    public static ContainerCreateSpec ToSpec(ContainerCreateRequest req, string? name)
    {
        var hc = NetworkRateMapper.Resolve(req.HostConfig ?? new HostConfig(), req.Labels);
        var logConfig = hc.LogConfig?.Config ?? new Dictionary<string, string>();
        if (hc.LogConfig is { Type: { Length: > 0 } type } && type is not ("json-file" or "local"))
        {
            throw WharfException.Invalid($"logging driver \"{type}\" is not supported; json-file is");
        }

        var host = new ContainerHostSettings
        {
            NetworkMode = hc.NetworkMode is null or "" or "default" ? "bridge" : hc.NetworkMode,
            AutoRemove = hc.AutoRemove,
            Runtime = hc.Runtime ?? "",
            RestartPolicy = new Core.Containers.RestartPolicy(hc.RestartPolicy?.Name is { Length: > 0 } n ? n : "no", hc.RestartPolicy?.MaximumRetryCount ?? 0),
            Privileged = hc.Privileged,
            ReadonlyRootfs = hc.ReadonlyRootfs,
            Init = hc.Init ?? false,
            CapAdd = hc.CapAdd ?? [],
            CapDrop = hc.CapDrop ?? [],
            SecurityOpt = hc.SecurityOpt ?? [],
            GroupAdd = hc.GroupAdd ?? [],
            Binds = hc.Binds ?? [],
            Mounts = [.. (hc.Mounts ?? []).Select(ToMountSpec)],
            VolumesFrom = hc.VolumesFrom ?? [],
            VolumeDriver = hc.VolumeDriver ?? "",
            Tmpfs = hc.Tmpfs ?? new Dictionary<string, string>(),
            Sysctls = hc.Sysctls ?? new Dictionary<string, string>(),
            ShmSize = hc.ShmSize,
            PidMode = hc.PidMode ?? "",
            IpcMode = hc.IpcMode ?? "",
            UtsMode = hc.UtsMode ?? "",
            OomScoreAdj = hc.OomScoreAdj,
            Memory = hc.Memory,
            MemorySwap = hc.MemorySwap,
            MemoryReservation = hc.MemoryReservation,
            NanoCpus = hc.NanoCpus,
            CpuShares = hc.CpuShares,
            CpuQuota = hc.CpuQuota,
            CpuPeriod = hc.CpuPeriod,
            CpuRealtimePeriod = hc.CpuRealtimePeriod,
            CpuRealtimeRuntime = hc.CpuRealtimeRuntime,
            CpusetCpus = hc.CpusetCpus ?? "",
            CpusetMems = hc.CpusetMems ?? "",
            PidsLimit = hc.PidsLimit is > 0 ? hc.PidsLimit : null,
            BlkioWeight = hc.BlkioWeight,
            LogMaxSize = logConfig.GetValueOrDefault("max-size", ""),
            LogMaxFile = logConfig.GetValueOrDefault("max-file", ""),
            PortBindings = Networks.PortMapper.ToRequests(hc.PortBindings),
            PublishAllPorts = hc.PublishAllPorts,
            Dns = hc.Dns ?? [],
            DnsSearch = hc.DnsSearch ?? [],
            DnsOptions = hc.DnsOptions ?? [],
            ExtraHosts = hc.ExtraHosts ?? [],
            ConsoleHeight = hc.ConsoleSize is [var height, _] ? height : 0,
            ConsoleWidth = hc.ConsoleSize is [_, var width] ? width : 0,
            NetworkRateIngress = hc.WharfNetworkRateIngress ?? 0,
            NetworkRateEgress = hc.WharfNetworkRateEgress ?? 0,
        };
        return new ContainerCreateSpec
        {
            Name = name,
            Config = req.ToContainerConfig(),
            Host = host,
            HostConfigJson = JsonSerializer.Serialize(hc, ContainerJsonContext.Default.HostConfig),
            Networks = ToEndpointRequests(req, host.NetworkMode),
        };
    }

    /// <summary>EndpointsConfig by network; the deprecated Config.MacAddress (API &lt; 1.44) goes to the NetworkMode's network.</summary>
    private static Dictionary<string, Core.Networks.EndpointRequest> ToEndpointRequests(ContainerCreateRequest req, string networkMode)
    {
        var result = (req.NetworkingConfig?.EndpointsConfig ?? new Dictionary<string, EndpointSettings>())
            .ToDictionary(kv => kv.Key, kv => Networks.NetworkMapper.ToEndpointRequest(kv.Value), StringComparer.Ordinal);
        if (req.MacAddress is { Length: > 0 } mac)
        {
            var primary = result.GetValueOrDefault(networkMode) ?? new Core.Networks.EndpointRequest();
            if (primary.MacAddress.Length == 0)
            {
                result[networkMode] = primary with { MacAddress = mac };
            }
        }

        return result;
    }

    public static ContainerInspect ToInspect(ContainerRecord c, ContainerPaths paths, string driver, long? sizeRw)
    {
        var hc = JsonSerializer.Deserialize(c.HostConfigJson, ContainerJsonContext.Default.HostConfig) ?? new HostConfig();
        return new ContainerInspect
        {
            Id = c.Id,
            Created = ImageMapper.FormatTime(c.Created),
            Path = c.Path,
            Args = c.Args,
            State = ToState(c.State),
            Image = c.ImageId.Value,
            ResolvConfPath = paths.ResolvConfPath,
            HostnamePath = paths.HostnamePath,
            HostsPath = paths.HostsPath,
            LogPath = paths.LogPath,
            Name = "/" + c.Name,
            RestartCount = c.RestartCount,
            Driver = driver,
            Platform = "linux",
            // A create body whose HostConfig has no RestartPolicy stores null (the source-generated
            // reader does not keep the property's initializer); dockerd 20.10 shows an empty policy.
            HostConfig = hc with { RestartPolicy = hc.RestartPolicy is null ? new Wharf.Api.Containers.RestartPolicy() : hc.RestartPolicy, NetworkMode = c.Host.NetworkMode, Runtime = c.Host.Runtime is { Length: > 0 } rt ? rt : hc.Runtime is { Length: > 0 } given ? given : "runc", KernelMemory = hc.KernelMemory ?? 0, KernelMemoryTCP = hc.KernelMemoryTCP ?? 0, LogConfig = hc.LogConfig is { Type.Length: > 0 } ? hc.LogConfig : new LogConfig { Type = "json-file" } },
            GraphDriver = new GraphDriverData { Name = driver, Data = new Dictionary<string, string>() },
            SizeRw = sizeRw,
            Mounts = [.. c.MountPoints.Select(m => ToMountPoint(m, inspect: true))],
            Config = c.Config,
            NetworkSettings = ToNetworkSettings(c),
        };
    }

    /// <summary>
    /// NetworkSettings as dockerd 20.10 writes it: the Networks map, and the legacy top-level
    /// fields filled from the default bridge network's endpoint.
    /// </summary>
    public static NetworkSettings ToNetworkSettings(ContainerRecord c)
    {
        var bridge = c.Networks.GetValueOrDefault("bridge") is { Active: true } b ? b : null;
        var sandboxed = c.NetworkSandbox.Length > 0;
        return new NetworkSettings
        {
            SandboxId = sandboxed ? Convert.ToHexStringLower(global::System.Security.Cryptography.SHA256.HashData(global::System.Text.Encoding.UTF8.GetBytes(c.NetworkSandbox))) : "",
            SandboxKey = c.NetworkSandbox,
            EndpointId = bridge?.EndpointId ?? "",
            Gateway = bridge?.Gateway ?? "",
            IpAddress = bridge?.IPAddress ?? "",
            IpPrefixLen = bridge?.IPPrefixLen ?? 0,
            MacAddress = bridge?.MacAddress ?? "",
            Ports = Networks.PortMapper.ToInspectPorts(c),
            Networks = ToNetworks(c),
        };
    }

    private static SortedDictionary<string, EndpointSettings> ToNetworks(ContainerRecord c)
        => new(c.Networks.ToDictionary(kv => kv.Key, kv => Networks.NetworkMapper.ToEndpointSettings(kv.Value)), StringComparer.Ordinal);

    public static WireState ToState(DomainState s) => new()
    {
        Status = s.Status,
        Running = s.Running,
        Paused = s.Status == "paused",
        Restarting = s.Status == "restarting",
        OomKilled = s.OomKilled,
        Dead = s.Status == "dead",
        Pid = s.Pid,
        ExitCode = s.ExitCode,
        Error = s.Error,
        StartedAt = s.StartedAt is { } a ? ImageMapper.FormatTime(a) : ContainerTimes.Zero,
        FinishedAt = s.FinishedAt is { } f ? ImageMapper.FormatTime(f) : ContainerTimes.Zero,
        Health = s.Health is { } h ? HealthMapper.ToWire(h) : null,
    };

    public static ContainerSummary ToSummary(ContainerRecord c, DateTimeOffset now, long? sizeRw) => new()
    {
        Id = c.Id,
        Names = ["/" + c.Name],
        Image = c.Config.Image,
        ImageId = c.ImageId.Value,
        Command = CommandText(c.Path, c.Args),
        Created = c.Created.ToUnixTimeSeconds(),
        Ports = Networks.PortMapper.ToSummaryPorts(c),
        SizeRw = sizeRw is > 0 ? sizeRw : null,
        Labels = c.Config.Labels ?? new Dictionary<string, string>(),
        State = c.State.Status,
        Status = StatusText(c.State, now),
        HostConfig = new ContainerSummaryHostConfig { NetworkMode = c.Host.NetworkMode },
        NetworkSettings = new ContainerSummaryNetworkSettings { Networks = ToNetworks(c) },
        Mounts = [.. c.MountPoints.Select(m => ToMountPoint(m, inspect: false))],
    };

    /// <summary>
    /// A mount as inspect and list show it: binds and tmpfs without Name/Driver; a volume's
    /// Source is its data path in inspect, and what Docker recorded (empty for the anonymous
    /// volumes of Config.Volumes) in the list.
    /// </summary>
    public static MountPoint ToMountPoint(Core.Containers.Mounts.ContainerMountPoint m, bool inspect)
    {
        var volume = m.Type == "volume";
        return new MountPoint
        {
            Type = m.Type,
            Name = volume ? m.Name : null,
            Source = inspect && volume && m.VolumePath.Length > 0 ? m.VolumePath : m.Source,
            Destination = m.Destination,
            Driver = volume ? m.Driver : null,
            Mode = m.Mode,
            Rw = m.RW,
            Propagation = m.Propagation,
        };
    }

    private static Core.Containers.Mounts.MountSpec ToMountSpec(Mount m) => new()
    {
        Type = m.Type ?? "",
        Source = m.Source ?? "",
        Target = m.Target ?? "",
        ReadOnly = m.ReadOnly ?? false,
        BindOptions = m.BindOptions is { } b
            ? new Core.Containers.Mounts.MountBindSpec
            {
                Propagation = b.Propagation ?? "",
                NonRecursive = b.NonRecursive ?? false,
                CreateMountpoint = b.CreateMountpoint ?? false,
                ReadOnlyNonRecursive = b.ReadOnlyNonRecursive ?? false,
                ReadOnlyForceRecursive = b.ReadOnlyForceRecursive ?? false,
            }
            : null,
        VolumeOptions = m.VolumeOptions is { } v
            ? new Core.Containers.Mounts.MountVolumeSpec
            {
                NoCopy = v.NoCopy ?? false,
                Labels = v.Labels,
                DriverName = v.DriverConfig?.Name ?? "",
                DriverOptions = v.DriverConfig?.Options,
                Subpath = v.Subpath ?? "",
            }
            : null,
        TmpfsOptions = m.TmpfsOptions is { } t
            ? new Core.Containers.Mounts.MountTmpfsSpec { SizeBytes = t.SizeBytes ?? 0, Mode = t.Mode ?? 0, Options = t.Options }
            : null,
    };

    /// <summary>The list's Command as dockerd writes it: arguments with spaces in single quotes.</summary>
    public static string CommandText(string path, IReadOnlyList<string> args)
        => args.Count == 0 ? path : path + " " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "'" + a + "'" : a));

    /// <summary>The human Status column of <c>docker ps</c>.</summary>
    public static string StatusText(DomainState s, DateTimeOffset now) => s.Status switch
    {
        "running" => "Up " + HumanDuration.Format(now - (s.StartedAt ?? now)) + HealthMapper.StatusSuffix(s.Health),
        "paused" => "Up " + HumanDuration.Format(now - (s.StartedAt ?? now)) + " (Paused)",
        "restarting" => "Restarting (" + s.ExitCode + ") " + HumanDuration.Format(now - (s.FinishedAt ?? now)) + " ago",
        "exited" => "Exited (" + s.ExitCode + ") " + HumanDuration.Format(now - (s.FinishedAt ?? now)) + " ago",
        "removing" => "Removal In Progress",
        "dead" => "Dead",
        _ => "Created",
    };
}
