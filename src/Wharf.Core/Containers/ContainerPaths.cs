namespace Wharf.Core.Containers;

public sealed record ContainerPaths(string LogPath, string HostnamePath, string HostsPath, string ResolvConfPath);
