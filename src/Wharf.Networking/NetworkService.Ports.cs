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
        try
        {
            foreach (var r in requests)
            {
                var hostIp = r.HostIp.Length == 0 ? IPAddress.Any : IPAddress.TryParse(r.HostIp, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip
                    : throw WharfException.Invalid($"invalid host IP {r.HostIp}: only IPv4 host addresses can be published");
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
