using System.Net;
using Wharf.Core.Errors;
using Wharf.Core.Networks;

namespace Wharf.Networking;

public sealed partial class NetworkService
{
    private readonly Dictionary<string, List<PortProxy>> _proxies = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<PublishedPort>> PublishAsync(string containerId, string containerAddress, IReadOnlyList<PortRequest> requests, CancellationToken cancellationToken)
    {
        await UnpublishAsync(containerId, cancellationToken).ConfigureAwait(false);
        var started = new List<PortProxy>();
        var published = new List<PublishedPort>();
        var bindingIp = DefaultBindingIpFor(containerAddress);
        try
        {
            foreach (var r in requests)
            {
                var given = r.HostIp.Length == 0 ? bindingIp : r.HostIp;
                var hostIp = IPAddress.TryParse(given, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip
                    : throw WharfException.Invalid($"invalid host IP {given}: only IPv4 host addresses can be published");
                var backend = new IPEndPoint(IPAddress.Parse(containerAddress), r.ContainerPort);
                PortProxy? proxy = null;
                for (var port = r.HostPortFirst; port <= r.HostPortLast && proxy is null; port++)
                {
                    proxy = PortProxy.TryStart(r.Protocol, hostIp, port, backend);
                }

                if (proxy is null)
                {
                    var shown = r.HostPortFirst == r.HostPortLast ? r.HostPortFirst.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{r.HostPortFirst}-{r.HostPortLast}";
                    throw new WharfException(ErrorKind.Internal, $"driver failed programming external connectivity on endpoint {containerId[..12]}: Bind for {hostIp}:{shown} failed: port is already allocated");
                }

                started.Add(proxy);
                published.Add(new PublishedPort(r.ContainerPort, r.Protocol, hostIp.ToString(), proxy.Port));
            }
        }
        catch
        {
            foreach (var p in started)
            {
                await p.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        lock (_proxies)
        {
            _proxies[containerId] = started;
        }

        return published;
    }

    /// <summary>
    /// Where a binding without a host address goes: the <c>host_binding_ipv4</c> of the network
    /// the container's address belongs to (the daemon's <c>--ip</c> for the default bridge).
    /// </summary>
    private string DefaultBindingIpFor(string containerAddress)
    {
        if (Cidr.TryParseAddress(containerAddress, out var address))
        {
            lock (_networks)
            {
                foreach (var n in _networks.Values)
                {
                    if (n.Driver == "bridge" && n.Ipam is [var pool, ..] && Cidr.TryParse(pool.Subnet, out var subnet, out _) && subnet.Contains(address))
                    {
                        return OptionsOf(n).BindingIp;
                    }
                }
            }
        }

        return BridgeOptions.Defaults.BindingIp;
    }

    public async Task UnpublishAsync(string containerId, CancellationToken cancellationToken)
    {
        List<PortProxy>? list;
        lock (_proxies)
        {
            _proxies.Remove(containerId, out list);
        }

        foreach (var p in list ?? [])
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }
    }
}
