namespace Wharf.Core.Networks;

/// <summary>
/// <c>POST /networks/{id}/connect</c> and <c>/disconnect</c>: membership changes of a container,
/// applied at once to a running one (a NIC is added or removed) and stored for a stopped one.
/// </summary>
public interface IContainerNetworkConnector
{
    Task ConnectAsync(string network, string container, EndpointRequest request, CancellationToken cancellationToken);

    Task DisconnectAsync(string network, string container, bool force, CancellationToken cancellationToken);
}
