using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Wharf.Core.Errors;
using Wharf.Core.Events;
using Wharf.Core.Networks;

namespace Wharf.Networking;

/// <summary>
/// Networks (the store, IPAM and the bridge driver) behind the API and for the container
/// engine. One lock serialises every change to networks and address pools; the host-side work
/// of an endpoint (veth pair, addresses) runs outside it.
/// </summary>
public sealed partial class NetworkService : INetworkService, IContainerNetworks
{
    private readonly NetworkingSettings _settings;
    private readonly NetworkStore _store;
    private readonly BridgeDriver _driver;
    private readonly Firewall _firewall;
    private readonly IEventService _events;
    private readonly TimeProvider _time;
    private readonly ILogger<NetworkService> _log;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, NetworkRecord> _networks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AddressPool> _pools = new(StringComparer.Ordinal);

    public NetworkService(NetworkingSettings settings, IEventService events, TimeProvider time, ILogger<NetworkService> log)
    {
        _settings = settings;
        _store = new NetworkStore(settings.StateRoot);
        _driver = new BridgeDriver(settings.NetnsPrefix);
        _firewall = new Firewall(settings.ChainPrefix);
        _events = events;
        _time = time;
        _log = log;
    }

    public Func<string, IReadOnlyList<NetworkContainer>> ContainersOn { get; set; } = _ => [];

    public bool HasDefaultBridge => _settings.DefaultBridge != "none";

    public string HostGatewayAddress
    {
        get
        {
            if (_settings.HostGatewayIp.Length > 0 || !HasDefaultBridge)
            {
                return _settings.HostGatewayIp;
            }

            lock (_networks)
            {
                return _networks.Values.FirstOrDefault(n => n.Predefined && n.Name == "bridge")?.Ipam is [var pool, ..] ? pool.Gateway : "";
            }
        }
    }

    /// <summary>A short per-daemon tag (from its data root) for chain and namespace names.</summary>
    public static string DaemonTag(string dataRoot)
        => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataRoot))))[..6];

    /// <summary>
    /// Loads the networks, makes the predefined ones, and rebuilds every bridge and this
    /// daemon's firewall chains from them (rules of networks that are gone disappear with the flush).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        foreach (var n in _store.Load())
        {
            _networks[n.Id] = n;
        }

        EnsurePredefined("none", "null", null);
        EnsurePredefined("host", "host", null);
        var existingBridge = _networks.Values.FirstOrDefault(n => n.Predefined && n.Name == "bridge");
        if (HasDefaultBridge)
        {
            var pool = await DefaultBridgePoolAsync(existingBridge, cancellationToken).ConfigureAwait(false);
            EnsurePredefined("bridge", "bridge", pool);
        }
        else if (existingBridge is not null)
        {
            _networks.Remove(existingBridge.Id);
            _store.Delete(existingBridge.Id);
        }

        var bridges = _networks.Values.Where(n => n.Driver == "bridge").ToList();
        if (_settings.Iptables && bridges.Count > 0)
        {
            await _firewall.EnsureChainsAsync(cancellationToken).ConfigureAwait(false);
            await _firewall.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var n in bridges)
        {
            _pools[n.Id] = PoolOf(n);
            await SetUpBridgeAsync(n, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes sandboxes of this daemon that belong to no running container (left by a daemon that was killed).</summary>
    public Task ReconcileSandboxesAsync(IEnumerable<string> runningContainerIds, CancellationToken cancellationToken)
    {
        var keep = runningContainerIds.Select(_driver.SandboxName).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _driver.ListSandboxNames().Where(n => !keep.Contains(n)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                BridgeDriver.DeleteSandbox(name);
            }
            catch (WharfException)
            {
                // Best effort, as before: a sandbox that cannot go now is tried again at the next start.
            }
        }

        return Task.CompletedTask;
    }

    public NetworkRecord Resolve(string idOrName)
    {
        lock (_networks)
        {
            if (_networks.TryGetValue(idOrName, out var byId))
            {
                return byId;
            }

            var byName = _networks.Values.FirstOrDefault(n => n.Name == idOrName);
            if (byName is not null)
            {
                return byName;
            }

            var byPrefix = idOrName.Length > 0 ? _networks.Values.Where(n => n.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList() : [];
            return byPrefix.Count switch
            {
                1 => byPrefix[0],
                > 1 => throw WharfException.Invalid($"network {idOrName} is ambiguous ({byPrefix.Count} matches found based on ID prefix)"),
                _ => throw WharfException.NotFound($"network {idOrName} not found"),
            };
        }
    }

    private void EnsurePredefined(string name, string driver, IpamPool? pool)
    {
        var existing = _networks.Values.FirstOrDefault(n => n.Predefined && n.Name == name);
        var options = name == "bridge" ? DefaultBridgeOptions() : new Dictionary<string, string>();
        var wanted = new NetworkRecord
        {
            Id = existing?.Id ?? NewId(),
            Name = name,
            Driver = driver,
            Created = existing?.Created ?? _time.GetUtcNow(),
            Predefined = true,
            Ipam = pool is null ? [] : [pool],
            Options = options,
            BridgeName = name == "bridge" ? _settings.DefaultBridge : "",
        };
        lock (_networks)
        {
            _networks[wanted.Id] = wanted;
        }

        _store.Save(wanted);
    }

    /// <summary>The default bridge's options as dockerd shows them, from the daemon's <c>--icc</c>, <c>--ip-masq</c>, <c>--ip</c> and <c>--mtu</c>.</summary>
    private Dictionary<string, string> DefaultBridgeOptions() => new(StringComparer.Ordinal)
    {
        ["com.docker.network.bridge.default_bridge"] = "true",
        [BridgeOptions.EnableIcc] = _settings.Icc ? "true" : "false",
        [BridgeOptions.EnableIpMasquerade] = _settings.IpMasquerade ? "true" : "false",
        [BridgeOptions.HostBindingIpv4] = _settings.DefaultBindingIp,
        ["com.docker.network.bridge.name"] = _settings.DefaultBridge,
        [BridgeOptions.DriverMtu] = (_settings.Mtu == 0 ? BridgeOptions.DefaultMtu : _settings.Mtu).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A network's bridge options; stored options were validated when the network was made.</summary>
    private static BridgeOptions OptionsOf(NetworkRecord n) => BridgeOptions.Parse(n.Options, BridgeOptions.Defaults);

    /// <summary><c>--bip</c>, else the address the bridge already has, else the stored subnet, else a free one from the pools.</summary>
    private async Task<IpamPool> DefaultBridgePoolAsync(NetworkRecord? existing, CancellationToken cancellationToken)
    {
        var bip = _settings.Bip;
        if (bip.Length == 0)
        {
            bip = await BridgeDriver.BridgeAddressAsync(_settings.DefaultBridge, cancellationToken).ConfigureAwait(false) ?? "";
        }

        if (bip.Length == 0 && existing is { Ipam: [var stored] })
        {
            return stored;
        }

        if (bip.Length > 0)
        {
            if (!Cidr.TryParse(bip, out var cidr, out var gw) || gw == cidr.Network)
            {
                throw WharfException.Invalid($"invalid --bip {bip}: want the bridge's address and prefix, e.g. 10.213.0.1/24");
            }

            return new IpamPool { Subnet = cidr.ToString(), Gateway = Cidr.Format(gw) };
        }

        var free = await PickSubnetAsync(cancellationToken).ConfigureAwait(false);
        return new IpamPool { Subnet = free.ToString(), Gateway = Cidr.Format(free.Network + 1) };
    }

    private async Task SetUpBridgeAsync(NetworkRecord n, CancellationToken cancellationToken)
    {
        if (n.Ipam is not [var pool, ..] || !Cidr.TryParse(pool.Subnet, out var subnet, out _))
        {
            return;
        }

        await BridgeDriver.EnsureBridgeAsync(n.BridgeName, $"{pool.Gateway}/{subnet.PrefixLength}", cancellationToken).ConfigureAwait(false);
        if (_settings.Iptables)
        {
            await _firewall.EnsureChainsAsync(cancellationToken).ConfigureAwait(false);
            var options = OptionsOf(n);
            if (!options.Icc && await BridgeNetfilter.EnsureAsync(cancellationToken).ConfigureAwait(false) is { } problem)
            {
                LogWarning(n.Name, problem);
            }

            await _firewall.AddNetworkAsync(n.BridgeName, subnet.ToString(), n.Internal, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TearDownBridgeAsync(NetworkRecord n, CancellationToken cancellationToken)
    {
        if (_settings.Iptables && n.Ipam is [var pool, ..])
        {
            await _firewall.RemoveNetworkAsync(n.BridgeName, pool.Subnet, n.Internal, OptionsOf(n), cancellationToken).ConfigureAwait(false);
            bool last;
            lock (_networks)
            {
                last = !_networks.Values.Any(x => x.Driver == "bridge" && x.Id != n.Id);
            }

            if (last)
            {
                await _firewall.RemoveChainsAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await BridgeDriver.DeleteBridgeAsync(n.BridgeName, cancellationToken).ConfigureAwait(false);
    }

    private static AddressPool PoolOf(NetworkRecord n)
    {
        var pool = n.Ipam[0];
        Cidr.TryParse(pool.Subnet, out var subnet, out _);
        var range = subnet;
        if (pool.IpRange.Length > 0)
        {
            Cidr.TryParse(pool.IpRange, out range, out _);
        }

        Cidr.TryParseAddress(pool.Gateway, out var gw);
        return new AddressPool(subnet, range, gw);
    }

    /// <summary>The first subnet of the address pools that overlaps neither a network of this daemon nor a prefix the host routes.</summary>
    private async Task<Cidr> PickSubnetAsync(CancellationToken cancellationToken)
    {
        var taken = (await BridgeDriver.HostPrefixesAsync(cancellationToken).ConfigureAwait(false)).ToList();
        lock (_networks)
        {
            foreach (var n in _networks.Values)
            {
                foreach (var p in n.Ipam)
                {
                    if (Cidr.TryParse(p.Subnet, out var c, out _))
                    {
                        taken.Add(c);
                    }
                }
            }
        }

        foreach (var (baseText, size) in _settings.AddressPools)
        {
            if (!Cidr.TryParse(baseText, out var b, out _) || size < b.PrefixLength || size > 30)
            {
                continue;
            }

            var step = 1UL << (32 - size);
            for (ulong offset = 0; offset < b.Size; offset += step)
            {
                var candidate = new Cidr(b.Network + (uint)offset, size);
                if (!taken.Any(t => t.Overlaps(candidate)))
                {
                    return candidate;
                }
            }
        }

        throw WharfException.Invalid("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "network {Network}: {Message}")]
    private partial void LogWarning(string network, string message);
}
