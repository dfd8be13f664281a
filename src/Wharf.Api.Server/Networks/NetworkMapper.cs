using System.Globalization;
using Wharf.Api.Containers;
using Wharf.Api.Networks;
using Wharf.Core.Networks;

namespace Wharf.Api.Server.Networks;

/// <summary>Network records ⇄ Docker's wire shapes.</summary>
internal static class NetworkMapper
{
    public static Network ToWire(NetworkRecord n, IReadOnlyList<Core.Networks.NetworkContainer>? containers) => new()
    {
        Name = n.Name,
        Id = n.Id,
        Created = FormatNanos(n.Created),
        Driver = n.Driver,
        EnableIPv6 = n.EnableIPv6,
        Ipam = new Ipam
        {
            Driver = "default",
            Options = n.IpamOptions is null ? null : Sorted(n.IpamOptions),
            Config = [.. n.Ipam.Select(p => new IpamConfig { Subnet = p.Subnet, IpRange = p.IpRange.Length > 0 ? p.IpRange : null, Gateway = p.Gateway.Length > 0 ? p.Gateway : null })],
        },
        Internal = n.Internal,
        Attachable = n.Attachable,
        Containers = containers is null
            ? new Dictionary<string, Api.Networks.NetworkContainer>()
            : new SortedDictionary<string, Api.Networks.NetworkContainer>(containers.ToDictionary(c => c.ContainerId, c => new Api.Networks.NetworkContainer { Name = c.Name, EndpointId = c.EndpointId, MacAddress = c.MacAddress, IPv4Address = c.IPv4Address }), StringComparer.Ordinal),
        Options = Sorted(n.Options),
        Labels = Sorted(n.Labels),
    };

    public static Core.Networks.NetworkCreateRequest ToCore(Api.Networks.NetworkCreateRequest req) => new()
    {
        Name = req.Name ?? "",
        Driver = req.Driver ?? "",
        Internal = req.Internal,
        Attachable = req.Attachable,
        EnableIPv6 = req.EnableIPv6 ?? false,
        IpamDriver = req.Ipam?.Driver ?? "",
        IpamOptions = req.Ipam?.Options,
        Ipam = [.. (req.Ipam?.Config ?? []).Select(c => new IpamPool { Subnet = c.Subnet ?? "", Gateway = c.Gateway ?? "", IpRange = c.IpRange ?? "", UserGiven = true })],
        Options = req.Options,
        Labels = req.Labels,
    };

    public static EndpointRequest ToEndpointRequest(EndpointSettings? s) => new()
    {
        Aliases = s?.Aliases ?? [],
        IPv4Address = s?.IpamConfig?.IPv4Address ?? "",
        MacAddress = s?.MacAddress ?? "",
        DriverOpts = s?.DriverOpts,
    };

    /// <summary>A container's membership as inspect and list show it; the runtime fields are empty while it does not run.</summary>
    public static EndpointSettings ToEndpointSettings(ContainerEndpoint e)
    {
        var aliases = e.Active ? e.Aliases : e.Request.Aliases;
        return new EndpointSettings
        {
            IpamConfig = e.Request.IPv4Address.Length > 0 ? new EndpointIpamConfig { IPv4Address = e.Request.IPv4Address } : null,
            Aliases = aliases.Count > 0 ? aliases : null,
            NetworkId = e.NetworkId,
            EndpointId = e.EndpointId,
            Gateway = e.IPAddress.Length > 0 ? e.Gateway : "",
            IpAddress = e.IPAddress,
            IpPrefixLen = e.IPPrefixLen,
            MacAddress = e.MacAddress,
            DriverOpts = e.Request.DriverOpts,
        };
    }

    /// <summary>Go's RFC 3339 with nanoseconds, trailing zeros dropped, in UTC, as network Created is written.</summary>
    public static string FormatNanos(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var frac = utc.ToString("fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (frac.Length > 0 ? "." + frac : "") + "Z";
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> map)
        => new(map.ToDictionary(), StringComparer.Ordinal);
}
