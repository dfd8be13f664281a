namespace Wharf.Core.Networks;

/// <summary>A port published while the container runs (NetworkSettings.Ports, <c>docker port</c>).</summary>
public sealed record PublishedPort(int ContainerPort, string Protocol, string HostIp, int HostPort);
