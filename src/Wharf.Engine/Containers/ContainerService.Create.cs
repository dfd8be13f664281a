using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Networks;
using Wharf.Oci;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    public async Task<(string Id, IReadOnlyList<string> Warnings)> CreateAsync(ContainerCreateSpec spec, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(spec.Config.Image))
        {
            throw WharfException.Invalid("No command specified");
        }

        ValidateHost(spec.Host);
        spec = spec with { Host = spec.Host with { Runtime = RuntimeNameAtCreate(spec.Host.Runtime) } };
        UpdateValidation.ValidateRealtime(spec.Host.CpuRealtimePeriod, spec.Host.CpuRealtimeRuntime, _settings.CpuRealtime);
        ValidateMountSpecs(spec.Host);
        spec = CreateDefaults.Apply(spec);
        var name = spec.Name is { Length: > 0 } n ? ContainerNames.Normalize(n) : ContainerNames.Generate(_store.NameTaken);
        if (_store.NameTaken(name))
        {
            throw ContainerNames.NameInUse(name, _store.Resolve(name).Id);
        }

        var image = _images.Inspect(spec.Config.Image).Image;
        var healthcheck = Health.HealthConfigMerge.Merge(spec.Config.Healthcheck, image.Config.Config?.Healthcheck);
        Health.HealthConfigMerge.Validate(healthcheck);
        var cmd = spec.Config.Cmd ?? image.Config.Config?.Cmd;
        var entrypoint = spec.Config.Entrypoint ?? image.Config.Config?.Entrypoint;
        if ((cmd is null || cmd.Count == 0) && (entrypoint is null || entrypoint.Count == 0 || (entrypoint.Count == 1 && entrypoint[0].Length == 0)))
        {
            throw WharfException.Invalid("No command specified");
        }

        var networks = PlanNetworks(spec);
        if (spec.Host.ExtraHosts.Any(h => HostEntryAddress(h) == HostGateway) && _networks.HostGatewayAddress.Length == 0)
        {
            throw WharfException.Invalid("unable to derive the IP value for host-gateway");
        }

        var plan = PlanMounts(spec.Host);
        var id = ContainerNames.NewId();
        // An image without layers gets an empty root (Docker creates the container; starting
        // it fails for want of the command).
        var top = image.ChainIds.Count > 0 ? image.ChainIds[^1].Value : await EmptyRootAsync(cancellationToken).ConfigureAwait(false);
        await _snapshots.PrepareActiveAsync(id, top, cancellationToken).ConfigureAwait(false);
        var argv = (entrypoint is { Count: > 0 } e && !(e.Count == 1 && e[0].Length == 0) ? e : []).Concat(cmd ?? []).ToList();
        var volumes = MergeVolumes(spec.Config.Volumes, image.Config.Config?.Volumes);
        IReadOnlyList<Core.Containers.Mounts.ContainerMountPoint> mountPoints = [];
        ContainerRecord rec;
        try
        {
            mountPoints = await RegisterMountPointsAsync(id, plan, spec.Host, volumes, cancellationToken).ConfigureAwait(false);
            rec = new ContainerRecord
            {
                Id = id,
                Name = name,
                Created = _time.GetUtcNow(),
                ImageId = image.Id,
                Config = spec.Config with { Hostname = spec.Config.Hostname.Length > 0 ? spec.Config.Hostname : id[..12], Volumes = volumes, Healthcheck = healthcheck },
                Host = spec.Host,
                HostConfigJson = spec.HostConfigJson,
                Driver = _snapshots.Name,
                Path = argv.Count > 0 ? argv[0] : "",
                Args = argv.Count > 1 ? argv[1..] : [],
                MountPoints = mountPoints,
                Networks = networks,
            };
            _store.Add(rec);
            WriteHostFiles(rec);
        }
        catch
        {
            if (mountPoints.Count > 0)
            {
                await ReleaseVolumesAsync(new ContainerRecord { Id = id, Name = name, Created = default, ImageId = image.Id, Config = spec.Config, Host = spec.Host, MountPoints = mountPoints }, removeAnonymous: true).ConfigureAwait(false);
            }

            await _snapshots.RemoveActiveAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (_store.Get(id) is not null)
            {
                _store.Remove(id);
            }

            throw;
        }

        Publish(rec, "create");
        return (id, []);
    }

    private static void ValidateHost(ContainerHostSettings host)
    {
        if (host.Memory is > 0 and < 6 * 1024 * 1024)
        {
            throw WharfException.Invalid("Minimum memory limit allowed is 6MB");
        }

        if (host.Memory < 0 || host.NanoCpus < 0 || host.CpuShares < 0 || host.CpuQuota < 0 || host.CpuPeriod < 0)
        {
            throw WharfException.Invalid("Invalid resource limits: values must not be negative");
        }

        if (host.NanoCpus > 0 && (host.CpuQuota > 0 || host.CpuPeriod > 0))
        {
            throw WharfException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }

        if (host.NanoCpus > (long)Environment.ProcessorCount * 1_000_000_000)
        {
            throw WharfException.Invalid($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        }

        var policy = host.RestartPolicy;
        if (policy.Name is not ("" or "no" or "always" or "unless-stopped" or "on-failure"))
        {
            throw WharfException.Invalid($"invalid restart policy '{policy.Name}'");
        }

        if (policy.MaximumRetryCount < 0)
        {
            throw WharfException.Invalid("maximum retry count cannot be negative");
        }

        if (policy.MaximumRetryCount > 0 && policy.Name != "on-failure")
        {
            throw WharfException.Invalid($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        }

        if (host.AutoRemove && policy.Name is "always" or "unless-stopped" or "on-failure")
        {
            throw WharfException.Invalid("Conflicting options: cannot specify both --restart and --rm");
        }
    }

    /// <summary>/etc/hostname, /etc/hosts and /etc/resolv.conf as Docker writes them for a container.</summary>
    private void WriteHostFiles(ContainerRecord rec)
    {
        var paths = PathsOf(rec.Id);
        var hostname = rec.Config.Hostname;
        File.WriteAllText(paths.HostnamePath, hostname + "\n");
        WriteHostsFile(rec);
        File.WriteAllText(paths.ResolvConfPath, ResolvConf(rec));
        File.WriteAllText(paths.LogPath, "");
    }

    /// <summary>
    /// /etc/hosts as Docker writes it: the localhost entries (the host's file for host
    /// networking), --add-host entries, then the container's own address and hostname while it
    /// has one.
    /// </summary>
    private void WriteHostsFile(ContainerRecord rec)
    {
        var paths = PathsOf(rec.Id);
        var hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";
        if (rec.Host.NetworkMode == "host")
        {
            hosts = File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : hosts;
        }

        foreach (var extra in rec.Host.ExtraHosts)
        {
            var sep = extra.IndexOfAny([':', '=']);
            if (sep > 0)
            {
                var address = HostEntryAddress(extra);
                hosts += $"{(address == HostGateway ? _networks.HostGatewayAddress : address)}\t{extra[..sep]}\n";
            }
        }

        if (rec.Networks.Values.FirstOrDefault(e => e.IPAddress.Length > 0) is { } own)
        {
            var names = rec.Config.Domainname.Length > 0 ? $"{rec.Config.Hostname}.{rec.Config.Domainname} {rec.Config.Hostname}" : rec.Config.Hostname;
            hosts += $"{own.IPAddress}\t{names}\n";
        }

        File.WriteAllText(paths.HostsPath, hosts);
    }

    /// <summary>The address of an <c>--add-host</c> entry (<c>name:address</c> or <c>name=address</c>).</summary>
    private static string HostEntryAddress(string entry)
    {
        var sep = entry.IndexOfAny([':', '=']);
        return sep > 0 ? entry[(sep + 1)..] : "";
    }

    /// <summary>Stands for the daemon's host gateway address in <c>--add-host</c>.</summary>
    private const string HostGateway = "host-gateway";

    /// <summary>
    /// The host's resolv.conf without loopback resolvers (unreachable from a container's own
    /// network namespace); Docker falls back to public resolvers when none are left. A container
    /// on a user-defined network asks the embedded DNS server instead.
    /// </summary>
    private string ResolvConf(ContainerRecord rec)
        => ResolvConfFor(rec.Host, HostResolvConf(), UsesEmbeddedDns(rec));

    private static string[] HostResolvConf() => File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];

    /// <summary>Whether one of the container's networks is a user-defined one (with the embedded DNS server).</summary>
    private bool UsesEmbeddedDns(ContainerRecord rec)
        => rec.Host.NetworkMode is not ("host" or "none") && rec.Networks.Keys.Any(n => TryResolveNetwork(n)?.HasEmbeddedDns == true);

    private NetworkRecord? TryResolveNetwork(string name)
    {
        try
        {
            return _networks.Resolve(name);
        }
        catch (WharfException)
        {
            return null;
        }
    }

    /// <summary>
    /// Where the embedded DNS server sends the names it does not know: the container's
    /// <c>--dns</c> servers, else every nameserver of the host's file (loopback ones too: the
    /// server asks them from the host's namespace), else public resolvers.
    /// </summary>
    internal static IReadOnlyList<string> DnsUpstreamsFor(ContainerHostSettings host, IReadOnlyList<string> hostLines)
    {
        if (host.Dns.Count > 0)
        {
            return host.Dns;
        }

        var servers = hostLines.Select(l => l.Trim())
            .Where(l => l.StartsWith("nameserver", StringComparison.Ordinal))
            .Select(l => l["nameserver".Length..].Trim())
            .Where(a => a.Length > 0)
            .ToList();
        return servers.Count > 0 ? servers : ["8.8.8.8", "8.8.4.4"];
    }

    /// <summary>
    /// As libnetwork writes it: the host's file filtered when the container asks for nothing;
    /// otherwise <c>search</c>, <c>nameserver</c> and <c>options</c> lines built from what it asked
    /// for, the host's values standing in for what it did not (<c>--dns-search .</c>: no search line).
    /// With <paramref name="embedded"/> the one nameserver is the embedded server, 127.0.0.11, with
    /// <c>ndots:0</c> unless the options name ndots.
    /// </summary>
    internal static string ResolvConfFor(ContainerHostSettings host, IReadOnlyList<string> hostLines, bool embedded = false)
    {
        var servers = new List<string>();
        string? search = null, options = null;
        var lines = new List<string>();
        foreach (var line in hostLines)
        {
            var t = line.Trim();
            if (t.StartsWith("nameserver", StringComparison.Ordinal))
            {
                var addr = t["nameserver".Length..].Trim();
                if (host.NetworkMode == "host" || !(addr.StartsWith("127.", StringComparison.Ordinal) || addr == "::1"))
                {
                    servers.Add(addr);
                }
            }
            else if (t.StartsWith("search", StringComparison.Ordinal) || t.StartsWith("options", StringComparison.Ordinal))
            {
                lines.Add(t);
                if (t.StartsWith("search", StringComparison.Ordinal))
                {
                    search = t["search".Length..].Trim();
                }
                else
                {
                    options = t["options".Length..].Trim();
                }
            }
        }

        if (embedded)
        {
            var given = host.DnsOptions.Count > 0 ? string.Join(' ', host.DnsOptions) : options ?? "";
            var withNdots = given.Split(' ').Any(o => o.StartsWith("ndots:", StringComparison.Ordinal)) ? given : (given + " ndots:0").Trim();
            return Structured(host.DnsSearch.Count > 0 ? string.Join(' ', host.DnsSearch) : search, ["127.0.0.11"], withNdots);
        }

        if (host.Dns.Count > 0)
        {
            servers = [.. host.Dns];
        }
        else if (servers.Count == 0)
        {
            servers.AddRange(["8.8.8.8", "8.8.4.4"]);
        }

        if (host.Dns.Count == 0 && host.DnsSearch.Count == 0 && host.DnsOptions.Count == 0)
        {
            return string.Concat(servers.Select(s => "nameserver " + s + "\n")) + string.Concat(lines.Select(l => l + "\n"));
        }

        return Structured(host.DnsSearch.Count > 0 ? string.Join(' ', host.DnsSearch) : search, servers, host.DnsOptions.Count > 0 ? string.Join(' ', host.DnsOptions) : options);
    }

    private static string Structured(string? searchText, IReadOnlyList<string> servers, string? optionsText)
    {
        var sb = new System.Text.StringBuilder();
        if (!string.IsNullOrWhiteSpace(searchText) && searchText.Trim() != ".")
        {
            sb.Append("search ").Append(searchText).Append('\n');
        }

        foreach (var server in servers)
        {
            sb.Append("nameserver ").Append(server).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(optionsText))
        {
            sb.Append("options ").Append(optionsText).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The empty committed snapshot for images without layers, made on first use.</summary>
    private async Task<string> EmptyRootAsync(CancellationToken cancellationToken)
    {
        if (!_snapshots.Exists(Core.Snapshots.EmptyRootfs.SnapshotKey))
        {
            var tar = Core.Snapshots.EmptyRootfs.OpenTar();
            await using (tar.ConfigureAwait(false))
            {
                await _snapshots.ApplyLayerAsync(Core.Snapshots.EmptyRootfs.SnapshotKey, null, tar, cancellationToken).ConfigureAwait(false);
            }
        }

        return Core.Snapshots.EmptyRootfs.SnapshotKey;
    }
}
