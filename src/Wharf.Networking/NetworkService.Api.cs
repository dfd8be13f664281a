using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Networks;

namespace Wharf.Networking;

public sealed partial class NetworkService
{
    private const string BridgeNameOption = "com.docker.network.bridge.name";
    private const string InternalOption = "com.docker.network.internal";

    public async Task<NetworkRecord> CreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        if (request.Name.Length == 0 || request.Name.Any(char.IsWhiteSpace) || request.Name.Contains('/', StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"invalid name: {request.Name}");
        }

        var driver = request.Driver is "" ? "bridge" : request.Driver;
        if (driver is "host" or "null")
        {
            throw new WharfException(ErrorKind.Forbidden, $"only one instance of \"{driver}\" network is allowed");
        }

        if (driver != "bridge")
        {
            throw WharfException.NotFound($"plugin \"{driver}\" not found");
        }

        if (request.IpamDriver is not ("" or "default"))
        {
            throw WharfException.NotFound($"plugin \"{request.IpamDriver}\" not found");
        }

        if (request.Ipam.Count > 1)
        {
            throw WharfException.Invalid("only one IPv4 IPAM config per network is supported");
        }

        var options = new Dictionary<string, string>(request.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var isInternal = request.Internal || (options.TryGetValue(InternalOption, out var io) && BridgeOptions.ParseBool(InternalOption, io));
        BridgeOptions.Parse(options, BridgeOptions.Defaults);
        if (options.TryGetValue(NetworkRecord.InterfacePrefixOption, out var prefix) && !NetworkRecord.IsInterfacePrefix(prefix))
        {
            throw WharfException.Invalid($"invalid {NetworkRecord.InterfacePrefixOption} value: {prefix}: want 1 to 12 letters, digits, _ or -");
        }
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_networks)
            {
                if (_networks.Values.Any(n => n.Name == request.Name))
                {
                    throw WharfException.Conflict($"network with name {request.Name} already exists");
                }
            }

            var id = NewId();
            var bridge = options.TryGetValue(BridgeNameOption, out var bn) && bn.Length > 0 ? bn : "br-" + id[..12];
            ValidateBridgeName(bridge);
            var pool = request.Ipam is [var given]
                ? ValidatePool(given)
                : await AutoPoolAsync(cancellationToken).ConfigureAwait(false);
            var rec = new NetworkRecord
            {
                Id = id,
                Name = request.Name,
                Driver = driver,
                Created = _time.GetUtcNow(),
                Internal = isInternal,
                Attachable = request.Attachable,
                EnableIPv6 = request.EnableIPv6,
                Ipam = [pool],
                IpamOptions = request.IpamOptions,
                Options = options,
                Labels = request.Labels ?? new Dictionary<string, string>(),
                BridgeName = bridge,
            };
            _pools[id] = PoolOf(rec);
            try
            {
                await SetUpBridgeAsync(rec, cancellationToken).ConfigureAwait(false);
            }
            catch (WharfException)
            {
                await TearDownBridgeAsync(rec, CancellationToken.None).ConfigureAwait(false);
                _pools.Remove(id);
                throw;
            }

            lock (_networks)
            {
                _networks[id] = rec;
            }

            _store.Save(rec);
            _events.Publish("network", "create", id, new Dictionary<string, string> { ["name"] = rec.Name, ["type"] = driver });
            return rec;
        }
        finally
        {
            _lock.Release();
        }
    }

    private void ValidateBridgeName(string bridge)
    {
        if (bridge.Length > 15 || bridge.Any(c => c is '/' or ' ' or ':'))
        {
            throw WharfException.Invalid($"invalid bridge name {bridge}: at most 15 characters, no '/', ':' or blanks");
        }

        lock (_networks)
        {
            if (_networks.Values.Any(n => n.BridgeName == bridge) || BridgeDriver.LinkExists(bridge))
            {
                throw WharfException.Conflict($"bridge name {bridge} is already in use");
            }
        }
    }

    /// <summary>Checks a user's IPAM config: CIDRs, gateway and range inside the subnet, no overlap with this daemon's networks.</summary>
    private IpamPool ValidatePool(IpamPool given)
    {
        if (!Cidr.TryParse(given.Subnet, out var subnet, out _))
        {
            throw WharfException.Invalid($"Invalid subnet {given.Subnet} : invalid CIDR address: {given.Subnet}");
        }

        if (subnet.PrefixLength > 30)
        {
            throw WharfException.Invalid($"Invalid subnet {given.Subnet} : the subnet has no room for a gateway and a container");
        }

        var range = subnet;
        if (given.IpRange.Length > 0)
        {
            if (!Cidr.TryParse(given.IpRange, out range, out _))
            {
                throw WharfException.Invalid($"Invalid range {given.IpRange} : invalid CIDR address: {given.IpRange}");
            }

            if (!subnet.Contains(range.Network) || range.PrefixLength < subnet.PrefixLength)
            {
                throw WharfException.Invalid($"Invalid range {given.IpRange} : not within subnet {given.Subnet}");
            }
        }

        var gateway = subnet.Network + 1;
        if (given.Gateway.Length > 0)
        {
            if (!Cidr.TryParseAddress(given.Gateway, out gateway))
            {
                throw WharfException.Invalid($"invalid gateway address {given.Gateway}");
            }

            if (!subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
            {
                throw WharfException.Invalid($"failed to allocate gateway ({given.Gateway}): Requested address is out of range");
            }
        }

        lock (_networks)
        {
            foreach (var n in _networks.Values)
            {
                if (n.Ipam.Any(p => Cidr.TryParse(p.Subnet, out var other, out _) && other.Overlaps(subnet)))
                {
                    throw new WharfException(ErrorKind.Forbidden, "Pool overlaps with other one on this address space");
                }
            }
        }

        return new IpamPool { Subnet = subnet.ToString(), Gateway = Cidr.Format(gateway), IpRange = given.IpRange.Length > 0 ? range.ToString() : "", UserGiven = true };
    }

    private async Task<IpamPool> AutoPoolAsync(CancellationToken cancellationToken)
    {
        var subnet = await PickSubnetAsync(cancellationToken).ConfigureAwait(false);
        return new IpamPool { Subnet = subnet.ToString(), Gateway = Cidr.Format(subnet.Network + 1) };
    }

    public NetworkView Inspect(string idOrName)
    {
        var n = Resolve(idOrName);
        return new NetworkView(n, ContainersOn(n.Id));
    }

    public IReadOnlyList<NetworkRecord> List(FilterSet filters)
    {
        filters.Validate("driver", "id", "label", "label!", "name", "scope", "type", "dangling");
        if (filters.Get("type") is { Count: > 0 } types && types.FirstOrDefault(t => t is not ("custom" or "builtin")) is { } badType)
        {
            throw WharfException.Invalid($"invalid filter: 'type'='{badType}'");
        }

        bool? dangling = filters.Contains("dangling") ? filters.GetBool("dangling") : null;
        List<NetworkRecord> all;
        lock (_networks)
        {
            all = [.. _networks.Values];
        }

        return [.. all
            .Where(n => filters.Get("driver") is not { Count: > 0 } d || d.Contains(n.Driver))
            .Where(n => filters.Get("id") is not { Count: > 0 } ids || ids.Any(i => n.Id.StartsWith(i, StringComparison.Ordinal)))
            .Where(n => filters.Get("name") is not { Count: > 0 } names || names.Any(x => n.Name.Contains(x, StringComparison.Ordinal)))
            .Where(n => filters.Get("scope") is not { Count: > 0 } scopes || scopes.Contains("local"))
            .Where(n => filters.Get("type") is not { Count: > 0 } t || t.Contains(n.Predefined ? "builtin" : "custom"))
            .Where(n => filters.MatchLabels("label", n.Labels))
            .Where(n => dangling is null || (ContainersOn(n.Id).Count == 0 && !n.Predefined) == dangling)
            .OrderBy(n => n.Predefined ? 0 : 1)
            .ThenBy(n => n.Created)];
    }

    public async Task RemoveAsync(string idOrName, CancellationToken cancellationToken)
    {
        var n = Resolve(idOrName);
        if (n.Predefined)
        {
            throw new WharfException(ErrorKind.Forbidden, $"{n.Name} is a pre-defined network and cannot be removed");
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ContainersOn(n.Id).Count > 0)
            {
                throw new WharfException(ErrorKind.Forbidden, $"error while removing network: network {n.Name} id {n.Id} has active endpoints");
            }

            await TearDownBridgeAsync(n, cancellationToken).ConfigureAwait(false);
            lock (_networks)
            {
                _networks.Remove(n.Id);
            }

            _pools.Remove(n.Id);
            _store.Delete(n.Id);
        }
        finally
        {
            _lock.Release();
        }

        _events.Publish("network", "destroy", n.Id, new Dictionary<string, string> { ["name"] = n.Name, ["type"] = n.Driver });
    }

    public async Task<IReadOnlyList<string>> PruneAsync(FilterSet filters, CancellationToken cancellationToken)
    {
        filters.Validate("until", "label", "label!");
        var until = filters.Get("until") is [var u, ..] ? TimeFilter.Parse(u, _time.GetUtcNow()) : (DateTimeOffset?)null;
        List<NetworkRecord> candidates;
        lock (_networks)
        {
            candidates = [.. _networks.Values.Where(n => !n.Predefined).OrderBy(n => n.Created)];
        }

        var deleted = new List<string>();
        foreach (var n in candidates)
        {
            if ((until is { } t && n.Created > t) || !filters.MatchLabels("label", n.Labels) || ContainersOn(n.Id).Count > 0)
            {
                continue;
            }

            try
            {
                await RemoveAsync(n.Id, cancellationToken).ConfigureAwait(false);
                deleted.Add(n.Name);
            }
            catch (WharfException e)
            {
                LogWarning(n.Name, "prune: " + e.Message);
            }
        }

        _events.Publish("network", "prune", "", new Dictionary<string, string> { ["reclaimed"] = "0" });
        return deleted;
    }
}
