using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Networks;

namespace Wharf.Api.Server.Networks;

/// <summary>HostConfig.PortBindings in, NetworkSettings.Ports and list Ports out.</summary>
internal static class PortMapper
{
    public static IReadOnlyList<PortRequest> ToRequests(IReadOnlyDictionary<string, IReadOnlyList<PortBinding>?>? bindings)
    {
        var list = new List<PortRequest>();
        foreach (var (key, hosts) in bindings ?? new Dictionary<string, IReadOnlyList<PortBinding>?>())
        {
            var (port, proto) = ParseKey(key);
            foreach (var h in hosts is { Count: > 0 } ? hosts : [new PortBinding()])
            {
                var (first, last) = ParseHostPort(h.HostPort);
                list.Add(new PortRequest(port, proto, h.HostIp is "0.0.0.0" ? "" : h.HostIp, first, last));
            }
        }

        return list;
    }

    private static (int Port, string Protocol) ParseKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var proto = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        if (proto is not ("tcp" or "udp") || !int.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw WharfException.Invalid($"invalid port specification: \"{key}\"");
        }

        return (port, proto);
    }

    private static (int First, int Last) ParseHostPort(string text)
    {
        if (text.Length == 0)
        {
            return (0, 0);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (int.TryParse(dash < 0 ? text : text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(dash < 0 ? text : text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first is >= 0 and <= 65535 && last >= first && last <= 65535)
        {
            return (first, last);
        }

        throw WharfException.Invalid($"invalid hostPort: {text}");
    }

    /// <summary>NetworkSettings.Ports of a running container: published ports with their bindings, other exposed ports with null.</summary>
    public static Dictionary<string, IReadOnlyList<PortBinding>?> ToInspectPorts(ContainerRecord c)
    {
        var result = new SortedDictionary<string, IReadOnlyList<PortBinding>?>(StringComparer.Ordinal);
        if (!c.State.Running || c.NetworkSandbox.Length == 0)
        {
            return new Dictionary<string, IReadOnlyList<PortBinding>?>();
        }

        foreach (var key in c.Config.ExposedPorts?.Keys ?? [])
        {
            result[key.Contains('/', StringComparison.Ordinal) ? key : key + "/tcp"] = null;
        }

        foreach (var g in c.Ports.GroupBy(p => $"{p.ContainerPort}/{p.Protocol}"))
        {
            result[g.Key] = [.. g.Select(p => new PortBinding { HostIp = p.HostIp, HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) })];
        }

        return result.ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>The container list's Ports: published ports with IP and PublicPort, other exposed ports without.</summary>
    public static List<Port> ToSummaryPorts(ContainerRecord c)
    {
        var list = c.Ports.Select(p => new Port { Ip = p.HostIp, PrivatePort = (ushort)p.ContainerPort, PublicPort = (ushort)p.HostPort, Type = p.Protocol }).ToList();
        foreach (var key in c.Config.ExposedPorts?.Keys ?? [])
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var proto = slash < 0 ? "tcp" : key[(slash + 1)..];
            if (ushort.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && !list.Any(p => p.PrivatePort == port && p.Type == proto))
            {
                list.Add(new Port { PrivatePort = port, Type = proto });
            }
        }

        return list;
    }
}
