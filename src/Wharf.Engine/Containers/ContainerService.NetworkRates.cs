using Wharf.Core.Containers;
using Wharf.Core.Networks;

namespace Wharf.Engine.Containers;

/// <summary>Wharf's per-container bandwidth limits: every bridge endpoint a container gets carries them.</summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Connects one endpoint and limits its rates as the container's HostConfig asks; an endpoint
    /// whose limits cannot be applied is taken down again, so no container runs unlimited by mistake.
    /// </summary>
    private async Task<ContainerEndpoint> ConnectLimitedAsync(ContainerRecord rec, string sandbox, NetworkRecord network, EndpointRequest request, string interfaceName, bool defaultRoute, CancellationToken cancellationToken)
    {
        var ep = await _networks.ConnectAsync(rec.Id, sandbox, network, request, interfaceName, defaultRoute, cancellationToken).ConfigureAwait(false);
        if (rec.Host.NetworkRateIngress <= 0 && rec.Host.NetworkRateEgress <= 0)
        {
            return ep;
        }

        try
        {
            await _networks.LimitRateAsync(rec.Id, ep, rec.Host.NetworkRateIngress, rec.Host.NetworkRateEgress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _networks.DisconnectAsync(rec.Id, ep, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return ep;
    }
}
