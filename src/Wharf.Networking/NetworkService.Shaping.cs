using Wharf.Core.Networks;

namespace Wharf.Networking;

public sealed partial class NetworkService
{
    public Task LimitRateAsync(string containerId, ContainerEndpoint endpoint, long ingressBitsPerSecond, long egressBitsPerSecond, CancellationToken cancellationToken)
        => endpoint.HostInterface.Length == 0 || (ingressBitsPerSecond <= 0 && egressBitsPerSecond <= 0)
            ? Task.CompletedTask
            : TrafficShaper.ApplyAsync(_driver.SandboxName(containerId), endpoint.ContainerInterface, endpoint.HostInterface, ingressBitsPerSecond, egressBitsPerSecond, cancellationToken);
}
