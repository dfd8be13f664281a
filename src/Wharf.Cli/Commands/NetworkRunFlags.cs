using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>run</c>/<c>create</c> networking flags: ports, addresses, aliases, DNS and hosts entries, as docker sends them.</summary>
internal static class NetworkRunFlags
{
    public static readonly FlagSpec[] Flags =
    [
        FlagSpec.List("add-host", null, "Add a custom host-to-IP mapping (host:ip)", "list"),
        FlagSpec.List("dns", null, "Set custom DNS servers", "list"),
        FlagSpec.List("dns-option", null, "Set DNS options", "list"),
        FlagSpec.List("dns-search", null, "Set custom DNS search domains", "list"),
        FlagSpec.List("expose", null, "Expose a port or a range of ports", "list"),
        FlagSpec.String("ip", null, "IPv4 address (e.g., 172.30.100.104)", "string"),
        FlagSpec.String("mac-address", null, "Container MAC address (e.g., 92:d0:c6:0a:29:33)", "string"),
        FlagSpec.List("network-alias", null, "Add network-scoped alias for the container", "list"),
        FlagSpec.List("publish", 'p', "Publish a container's port(s) to the host", "list"),
        FlagSpec.Bool("publish-all", 'P', "Publish all exposed ports to random ports"),
    ];

    public static void Apply(ParsedFlags f, JsonObject config, JsonObject host)
    {
        var exposed = new JsonObject();
        var bindings = new JsonObject();
        foreach (var spec in f.List("publish"))
        {
            foreach (var (key, hostIp, hostPort) in ParsePublish(spec))
            {
                exposed[key] = new JsonObject();
                var list = bindings[key] as JsonArray ?? [];
                list.Add(new JsonObject { ["HostIp"] = hostIp, ["HostPort"] = hostPort });
                bindings[key] = list;
            }
        }

        foreach (var e in f.List("expose"))
        {
            var (ports, proto) = SplitProto(e);
            var (first, last) = Range(ports, e);
            for (var p = first; p <= last; p++)
            {
                exposed[p.ToString(CultureInfo.InvariantCulture) + "/" + proto] = new JsonObject();
            }
        }

        if (exposed.Count > 0)
        {
            config["ExposedPorts"] = exposed;
        }

        if (bindings.Count > 0)
        {
            host["PortBindings"] = bindings;
        }

        if (f.Bool("publish-all"))
        {
            host["PublishAllPorts"] = true;
        }

        SetList(host, "Dns", f.List("dns"));
        SetList(host, "DnsOptions", f.List("dns-option"));
        SetList(host, "DnsSearch", f.List("dns-search"));
        SetList(host, "ExtraHosts", f.List("add-host"));
        var endpoint = new JsonObject();
        if (f.String("ip") is { Length: > 0 } ip)
        {
            endpoint["IPAMConfig"] = new JsonObject { ["IPv4Address"] = ip };
        }

        if (f.List("network-alias") is { Count: > 0 } aliases)
        {
            endpoint["Aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode?)a)]);
        }

        if (f.String("mac-address") is { Length: > 0 } mac)
        {
            endpoint["MacAddress"] = mac;
        }

        var endpoints = new JsonObject();
        if (endpoint.Count > 0)
        {
            endpoints[f.String("network") is { Length: > 0 } net ? net : "default"] = endpoint;
        }

        config["NetworkingConfig"] = new JsonObject { ["EndpointsConfig"] = endpoints };
    }

    /// <summary><c>[ip:][hostPort:]containerPort[/proto]</c>, ranges on either side (docker's nat.ParsePortSpec).</summary>
    internal static List<(string Key, string HostIp, string HostPort)> ParsePublish(string spec)
    {
        var (rest, proto) = SplitProto(spec);
        var lastColon = rest.LastIndexOf(':');
        var container = lastColon < 0 ? rest : rest[(lastColon + 1)..];
        var front = lastColon < 0 ? "" : rest[..lastColon];
        var hostColon = front.LastIndexOf(':');
        var hostIp = hostColon < 0 ? "" : front[..hostColon].Trim('[', ']');
        var hostPort = hostColon < 0 ? front : front[(hostColon + 1)..];
        var (cFirst, cLast) = Range(container, spec);
        var result = new List<(string, string, string)>();
        if (hostPort.Length > 0 && cFirst != cLast)
        {
            var (hFirst, hLast) = Range(hostPort, spec);
            if (hLast - hFirst != cLast - cFirst)
            {
                throw new CliErrorException($"invalid ranges specified for container and host Ports: {container} and {hostPort}", 125);
            }

            for (var i = 0; i <= cLast - cFirst; i++)
            {
                result.Add(((cFirst + i).ToString(CultureInfo.InvariantCulture) + "/" + proto, hostIp, (hFirst + i).ToString(CultureInfo.InvariantCulture)));
            }

            return result;
        }

        if (hostPort.Length > 0)
        {
            Range(hostPort, spec);
        }

        for (var p = cFirst; p <= cLast; p++)
        {
            result.Add((p.ToString(CultureInfo.InvariantCulture) + "/" + proto, hostIp, hostPort));
        }

        return result;
    }

    private static (string Ports, string Proto) SplitProto(string spec)
    {
        var slash = spec.LastIndexOf('/');
        var proto = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        if (proto is not ("tcp" or "udp" or "sctp"))
        {
            throw new CliErrorException($"invalid proto: {proto}", 125);
        }

        return (slash < 0 ? spec : spec[..slash], proto);
    }

    private static (int First, int Last) Range(string text, string spec)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (int.TryParse(dash < 0 ? text : text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(dash < 0 ? text : text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first is >= 0 and <= 65535 && last >= first && last <= 65535)
        {
            return (first, last);
        }

        throw new CliErrorException($"invalid containerPort: {spec}", 125);
    }

    private static void SetList(JsonObject host, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            host[key] = new JsonArray([.. values.Select(v => (JsonNode?)v)]);
        }
    }
}
