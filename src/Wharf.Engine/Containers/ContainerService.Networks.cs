using Wharf.Core.Containers;
using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Core.Networks;

namespace Wharf.Engine.Containers;

/// <summary>
/// Network membership of containers: chosen at create (NetworkMode and EndpointsConfig), plumbed
/// at start into a sandbox the networking side prepares, undone at exit, changed live by
/// connect/disconnect.
/// </summary>
public sealed partial class ContainerService : IContainerNetworkConnector
{
    /// <summary>
    /// The container's networks at create: its NetworkMode's network (the default bridge when the
    /// daemon has one; none, host) plus any other EndpointsConfig entries (API 1.44+), by name.
    /// </summary>
    private Dictionary<string, ContainerEndpoint> PlanNetworks(ContainerCreateSpec spec)
    {
        var result = new Dictionary<string, ContainerEndpoint>(StringComparer.Ordinal);
        var mode = spec.Host.NetworkMode;
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            return result;
        }

        var modeName = mode is "" or "default" ? "bridge" : mode;
        if (modeName == "bridge" && !_networks.HasDefaultBridge)
        {
            // --bridge=none: a bridge container gets a namespace with loopback only.
            return result;
        }

        var primary = _networks.Resolve(modeName);
        AddPlanned(result, primary, spec.Networks.GetValueOrDefault(modeName) ?? spec.Networks.GetValueOrDefault(primary.Id) ?? spec.Networks.GetValueOrDefault(primary.Name) ?? spec.Networks.GetValueOrDefault("default"));
        foreach (var (key, request) in spec.Networks)
        {
            // The docker CLI names the NetworkMode's network "default" when none was given.
            var net = key == "default" ? primary : _networks.Resolve(key);
            if (result.ContainsKey(net.Name))
            {
                continue;
            }

            if (primary.Driver != "bridge" || net.Driver != "bridge")
            {
                throw WharfException.Invalid("Container cannot be connected to network endpoints: only bridge networks can be combined");
            }

            AddPlanned(result, net, request);
        }

        return result;

        void AddPlanned(Dictionary<string, ContainerEndpoint> plan, NetworkRecord net, EndpointRequest? request)
        {
            var req = request ?? new EndpointRequest();
            _networks.ValidateEndpoint(net, req);
            plan[net.Name] = new ContainerEndpoint { Request = req };
        }
    }

    /// <summary>
    /// Plumbs the container's bridge networks into a fresh sandbox and returns it for the runtime
    /// to join; host and none memberships are only marked live. Null when the container needs no sandbox.
    /// </summary>
    private async Task<NamespaceMode?> AttachNetworksAsync(string id, CancellationToken cancellationToken)
    {
        var rec = _store.Get(id) ?? throw WharfException.NotFound($"No such container: {id}");
        if (rec.Networks.Count == 0)
        {
            return null;
        }

        var updated = new Dictionary<string, ContainerEndpoint>(StringComparer.Ordinal);
        var sandbox = "";
        // As libnetwork names them: the network's prefix (eth unless container_iface_prefix says
        // otherwise) and a count per prefix; the first bridge endpoint carries the default route.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var bridges = 0;
        try
        {
            foreach (var (name, ep) in rec.Networks)
            {
                var net = _networks.Resolve(name);
                if (net.Driver == "bridge" && sandbox.Length == 0)
                {
                    sandbox = await _networks.CreateSandboxAsync(id, cancellationToken).ConfigureAwait(false);
                }

                var prefix = net.InterfacePrefix;
                var index = counts.GetValueOrDefault(prefix);
                updated[name] = await ConnectLimitedAsync(rec, sandbox, net, ep.Request, prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture), defaultRoute: net.Driver == "bridge" && bridges == 0, cancellationToken).ConfigureAwait(false);
                if (net.Driver == "bridge")
                {
                    counts[prefix] = index + 1;
                    bridges++;
                }
            }
        }
        catch
        {
            foreach (var ep in updated.Values)
            {
                await _networks.DisconnectAsync(id, ep, CancellationToken.None).ConfigureAwait(false);
            }

            await _networks.RemoveSandboxAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        rec = _store.Update(id, r => r with { Networks = updated, NetworkSandbox = sandbox });
        WriteHostsFile(rec);
        await ServeNamesIfNeededAsync(rec, cancellationToken).ConfigureAwait(false);
        if (updated.Values.FirstOrDefault(e => e.IPAddress.Length > 0) is { } primary && PortRequests(rec) is { Count: > 0 } ports)
        {
            try
            {
                var published = await _networks.PublishAsync(id, primary.IPAddress, ports, cancellationToken).ConfigureAwait(false);
                _store.Update(id, r => r with { Ports = published });
            }
            catch
            {
                await DetachNetworksAsync(id).ConfigureAwait(false);
                throw;
            }
        }

        return sandbox.Length > 0 ? NamespaceMode.Prepared(sandbox) : null;
    }

    /// <summary>Undoes <see cref="AttachNetworksAsync"/> (quietly: whatever is already gone stays gone).</summary>
    private async Task DetachNetworksAsync(string id)
    {
        var rec = _store.Get(id);
        if (rec is null || (rec.NetworkSandbox.Length == 0 && !rec.Networks.Values.Any(e => e.Active)))
        {
            return;
        }

        await _networks.UnpublishAsync(id, CancellationToken.None).ConfigureAwait(false);
        foreach (var ep in rec.Networks.Values.Where(e => e.Active))
        {
            try
            {
                await _networks.DisconnectAsync(id, ep, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                LogWarning(id, "network disconnect: " + e.Message);
            }
        }

        try
        {
            await _networks.RemoveSandboxAsync(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            LogWarning(id, "network sandbox: " + e.Message);
        }

        _store.Update(id, r => r with { Networks = r.Networks.ToDictionary(kv => kv.Key, kv => kv.Value.Deactivated(), StringComparer.Ordinal), NetworkSandbox = "", Ports = [] });
    }

    /// <summary>HostConfig.PortBindings, plus (for <c>-P</c>) an ephemeral port for every other exposed port of the container and its image.</summary>
    private List<PortRequest> PortRequests(ContainerRecord rec)
    {
        var list = rec.Host.PortBindings.ToList();
        if (rec.Host.PublishAllPorts)
        {
            var exposed = (rec.Config.ExposedPorts?.Keys ?? []).Concat(_images.Inspect(rec.ImageId.Value).Image.Config.Config?.ExposedPorts?.Keys ?? []);
            foreach (var key in exposed.Distinct(StringComparer.Ordinal))
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                var proto = slash < 0 ? "tcp" : key[(slash + 1)..];
                if (int.TryParse(slash < 0 ? key : key[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                    && !list.Any(p => p.ContainerPort == port && p.Protocol == proto))
                {
                    list.Add(new PortRequest(port, proto, "", 0, 0));
                }
            }
        }

        return list;
    }

    /// <summary>
    /// Starts the embedded DNS server in the container's sandbox when one of its live endpoints is
    /// on a user-defined network (at start, on connect, and again when the daemon comes back).
    /// </summary>
    private async Task ServeNamesIfNeededAsync(ContainerRecord rec, CancellationToken cancellationToken)
    {
        if (rec.NetworkSandbox.Length > 0 && rec.Networks.Values.Any(e => e.Active && TryResolveNetwork(e.NetworkId)?.HasEmbeddedDns == true))
        {
            await _networks.ServeNamesAsync(rec.Id, DnsUpstreamsFor(rec.Host, HostResolvConf()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A container that kept running while the daemon was down keeps its addresses, its names and, served again, its host ports.</summary>
    private async Task RestoreNetworksAsync(ContainerRecord rec)
    {
        foreach (var ep in rec.Networks.Values.Where(e => e.Active))
        {
            _networks.Restore(rec.Id, ep);
        }

        await ServeNamesIfNeededAsync(rec, CancellationToken.None).ConfigureAwait(false);

        if (rec.Ports.Count > 0 && rec.Networks.Values.FirstOrDefault(e => e.IPAddress.Length > 0) is { } primary)
        {
            try
            {
                await _networks.PublishAsync(rec.Id, primary.IPAddress, [.. rec.Ports.Select(p => new PortRequest(p.ContainerPort, p.Protocol, p.HostIp == "0.0.0.0" ? "" : p.HostIp, p.HostPort, p.HostPort))], CancellationToken.None).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                LogWarning(rec.Id, "republishing ports: " + e.Message);
            }
        }
    }

    /// <summary>Running containers with a live endpoint on the network (network inspect, in-use checks).</summary>
    public IReadOnlyList<NetworkContainer> ContainersOn(string networkId)
        => [.. _store.All()
            .SelectMany(c => c.Networks.Values.Where(e => e.Active && e.NetworkId == networkId)
                .Select(e => new NetworkContainer(c.Id, c.Name, e.EndpointId, e.MacAddress, e.IPAddress.Length > 0 ? $"{e.IPAddress}/{e.IPPrefixLen}" : "") { Aliases = e.Aliases }))];

    /// <summary>IDs of the containers that run now (their network sandboxes stay at a daemon start).</summary>
    public IReadOnlyList<string> RunningIds() => [.. _store.All().Where(c => c.State.Running).Select(c => c.Id)];

    public async Task ConnectAsync(string network, string container, EndpointRequest request, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(container);
        var net = _networks.Resolve(network);
        if (net.Driver == "host" || rec.Host.NetworkMode == "host")
        {
            throw WharfException.Invalid("container cannot be disconnected from host network or connected to host network");
        }

        if (rec.Host.NetworkMode is "none" || rec.Host.NetworkMode.StartsWith("container:", StringComparison.Ordinal) || net.Driver == "null")
        {
            throw WharfException.Invalid("container cannot be connected to multiple networks with one of the networks in private (none) mode");
        }

        _networks.ValidateEndpoint(net, request);
        var live = Live(rec.Id);
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            rec = _store.Get(rec.Id) ?? throw WharfException.NotFound($"No such container: {container}");
            if (rec.Networks.ContainsKey(net.Name))
            {
                throw new WharfException(ErrorKind.Forbidden, $"endpoint with name {rec.Name} already exists in network {net.Name}");
            }

            var ep = new ContainerEndpoint { Request = request };
            if (rec.State.Running)
            {
                var sandbox = rec.NetworkSandbox.Length > 0 ? rec.NetworkSandbox : throw WharfException.Conflict($"container {rec.Id} has no network namespace of its own to connect");
                var used = rec.Networks.Values.Select(e => e.ContainerInterface).ToHashSet(StringComparer.Ordinal);
                var prefix = net.InterfacePrefix;
                var ifName = Enumerable.Range(0, 64).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).First(n => !used.Contains(n));
                // The default route only when no other bridge endpoint has it already.
                var defaultRoute = !rec.Networks.Values.Any(e => e.HostInterface.Length > 0);
                ep = await ConnectLimitedAsync(rec, sandbox, net, request, ifName, defaultRoute, cancellationToken).ConfigureAwait(false);
            }

            var wasEmbedded = UsesEmbeddedDns(rec);
            rec = _store.Update(rec.Id, r => r with { Networks = new Dictionary<string, ContainerEndpoint>(r.Networks, StringComparer.Ordinal) { [net.Name] = ep } });
            if (!wasEmbedded && UsesEmbeddedDns(rec))
            {
                // As libnetwork does: joining a user-defined network points the container at the
                // embedded server (the file is rewritten in place; the container sees it at once).
                File.WriteAllText(PathsOf(rec.Id).ResolvConfPath, ResolvConf(rec));
            }

            if (rec.State.Running)
            {
                await ServeNamesIfNeededAsync(rec, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            live.Gate.Release();
        }

        _events.Publish("network", "connect", net.Id, new Dictionary<string, string> { ["container"] = rec.Id, ["name"] = net.Name, ["type"] = net.Driver });
    }

    public async Task DisconnectAsync(string network, string container, bool force, CancellationToken cancellationToken)
    {
        var rec = _store.Resolve(container);
        var net = _networks.Resolve(network);
        if (net.Driver == "host" || rec.Host.NetworkMode == "host")
        {
            throw WharfException.Invalid("container cannot be disconnected from host network or connected to host network");
        }

        var live = Live(rec.Id);
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            rec = _store.Get(rec.Id) ?? throw WharfException.NotFound($"No such container: {container}");
            if (!rec.Networks.TryGetValue(net.Name, out var ep))
            {
                throw new WharfException(ErrorKind.Internal, $"container {rec.Id} is not connected to the network {net.Name}");
            }

            if (ep.Active)
            {
                await _networks.DisconnectAsync(rec.Id, ep, cancellationToken).ConfigureAwait(false);
            }

            _store.Update(rec.Id, r => r with { Networks = r.Networks.Where(kv => kv.Key != net.Name).ToDictionary(StringComparer.Ordinal) });
        }
        finally
        {
            live.Gate.Release();
        }

        _events.Publish("network", "disconnect", net.Id, new Dictionary<string, string> { ["container"] = rec.Id, ["name"] = net.Name, ["type"] = net.Driver });
    }
}
