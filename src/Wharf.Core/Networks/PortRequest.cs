namespace Wharf.Core.Networks;

/// <summary>
/// One port to publish: the container port and protocol, the host address (empty: all) and the
/// host port range to take the first free port from (0..0: an ephemeral port).
/// </summary>
public sealed record PortRequest(int ContainerPort, string Protocol, string HostIp, int HostPortFirst, int HostPortLast);
