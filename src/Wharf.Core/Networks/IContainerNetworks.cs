namespace Wharf.Core.Networks;

/// <summary>
/// What the container engine needs from networking.
/// <para>
/// Sandbox: a container on a bridge network gets a network namespace the networking side makes
/// before the runtime starts (<see cref="CreateSandboxAsync"/>, a path the runtime joins) and
/// removes after the container's exit; removing it takes the container ends of its veth pairs
/// with it.
/// </para>
/// <para>
/// Endpoints: <see cref="ConnectAsync"/> reserves an address, makes a veth pair, moves one end
/// into the sandbox and configures it (address, MAC, default route through the gateway);
/// <see cref="DisconnectAsync"/> undoes it and releases the address. Both are safe to repeat.
/// </para>
/// </summary>
public interface IContainerNetworks
{
    /// <summary>A network by ID, name or unique ID prefix; NotFound ("network x not found").</summary>
    NetworkRecord Resolve(string idOrName);

    /// <summary>Whether the daemon has a default bridge (<c>--bridge=none</c> turns it off).</summary>
    bool HasDefaultBridge { get; }

    /// <summary>
    /// The address <c>host-gateway</c> stands for in <c>--add-host</c>: the daemon's
    /// <c>host-gateway-ip</c>, else the default bridge's gateway; empty when there is neither.
    /// </summary>
    string HostGatewayAddress { get; }

    /// <summary>Lists the containers attached to a network; set by the daemon (the container store knows).</summary>
    Func<string, IReadOnlyList<NetworkContainer>> ContainersOn { get; set; }

    Task<string> CreateSandboxAsync(string containerId, CancellationToken cancellationToken);

    Task RemoveSandboxAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Checks a request against a network before it is stored (static address inside the range, MAC syntax).</summary>
    void ValidateEndpoint(NetworkRecord network, EndpointRequest request);

    /// <summary>
    /// Plumbs one endpoint as <paramref name="interfaceName"/> inside the sandbox;
    /// <paramref name="defaultRoute"/>: its gateway becomes the container's default route.
    /// </summary>
    Task<ContainerEndpoint> ConnectAsync(string containerId, string sandboxPath, NetworkRecord network, EndpointRequest request, string interfaceName, bool defaultRoute, CancellationToken cancellationToken);

    Task DisconnectAsync(string containerId, ContainerEndpoint endpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Limits the bandwidth of a bridge endpoint made by <see cref="ConnectAsync"/> (a Wharf
    /// extension): traffic into the container to <paramref name="ingressBitsPerSecond"/>, out of it
    /// to <paramref name="egressBitsPerSecond"/>; 0 leaves a direction unlimited. Nothing to do for
    /// host and none endpoints. The limits go with the endpoint's interfaces.
    /// </summary>
    Task LimitRateAsync(string containerId, ContainerEndpoint endpoint, long ingressBitsPerSecond, long egressBitsPerSecond, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes ports of a container at <paramref name="containerAddress"/>: each binding takes
    /// the first free host port of its range (an ephemeral one when none is given). Fails
    /// (Internal, "port is already allocated") and publishes nothing when a port is taken.
    /// </summary>
    Task<IReadOnlyList<PublishedPort>> PublishAsync(string containerId, string containerAddress, IReadOnlyList<PortRequest> requests, CancellationToken cancellationToken);

    /// <summary>Stops publishing the container's ports (safe to repeat).</summary>
    Task UnpublishAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the embedded DNS server in the container's sandbox (127.0.0.11:53) if it is not
    /// running yet: names of containers on its user-defined networks are answered there, other
    /// names are passed to <paramref name="upstreams"/> (IP addresses). Stopped with the sandbox.
    /// </summary>
    Task ServeNamesAsync(string containerId, IReadOnlyList<string> upstreams, CancellationToken cancellationToken);

    /// <summary>Re-reserves the address of a container that kept running while the daemon was down.</summary>
    void Restore(string containerId, ContainerEndpoint endpoint);
}
