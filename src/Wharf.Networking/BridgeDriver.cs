using System.Globalization;
using System.Security.Cryptography;

namespace Wharf.Networking;

/// <summary>
/// Linux bridges, network namespaces and veth pairs through iproute2. A container's sandbox is
/// a named network namespace (<c>/run/netns/&lt;prefix&gt;&lt;id12&gt;</c>) that runc joins; each
/// endpoint is a veth pair with the host end on the network's bridge and the other end inside
/// the sandbox, named eth0, eth1, ... Deleting the namespace takes the pairs with it.
/// </summary>
internal sealed class BridgeDriver(string netnsPrefix)
{
    public const string NetnsDirectory = "/run/netns";

    public string SandboxName(string containerId) => netnsPrefix + containerId[..12];

    public string SandboxPath(string containerId) => Path.Combine(NetnsDirectory, SandboxName(containerId));

    public static bool LinkExists(string name) => Directory.Exists("/sys/class/net/" + name);

    /// <summary>Makes the bridge (if missing), gives it the gateway address and brings it up.</summary>
    public static async Task EnsureBridgeAsync(string name, string gatewayCidr, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (!LinkExists(name))
        {
            lines.Add($"link add name {name} type bridge");
        }

        lines.Add($"addr replace {gatewayCidr} dev {name}");
        lines.Add($"link set {name} up");
        await HostCommand.IpBatchAsync(null, lines, cancellationToken).ConfigureAwait(false);
    }

    public static async Task DeleteBridgeAsync(string name, CancellationToken cancellationToken)
    {
        if (LinkExists(name))
        {
            await HostCommand.RunAsync("ip", ["link", "del", name], null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The IPv4 address/prefix a bridge already has, if any (the default bridge keeps its subnet across restarts).</summary>
    public static async Task<string?> BridgeAddressAsync(string name, CancellationToken cancellationToken)
    {
        if (!LinkExists(name))
        {
            return null;
        }

        var (_, stdout, _) = await HostCommand.RunAsync("ip", ["-4", "-o", "addr", "show", "dev", name], null, cancellationToken).ConfigureAwait(false);
        var words = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = Array.IndexOf(words, "inet");
        return i >= 0 && i + 1 < words.Length ? words[i + 1] : null;
    }

    /// <summary>Every IPv4 prefix the host routes or has on an interface (subnets picked by the daemon avoid them).</summary>
    public static async Task<IReadOnlyList<Cidr>> HostPrefixesAsync(CancellationToken cancellationToken)
    {
        var list = new List<Cidr>();
        var (_, routes, _) = await HostCommand.RunAsync("ip", ["-4", "route", "show", "table", "all"], null, cancellationToken).ConfigureAwait(false);
        foreach (var line in routes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dest = words[0] is "local" or "broadcast" or "unicast" && words.Length > 1 ? words[1] : words[0];
            if (dest == "default")
            {
                continue;
            }

            if (Cidr.TryParse(dest.Contains('/', StringComparison.Ordinal) ? dest : dest + "/32", out var c, out _))
            {
                list.Add(c);
            }
        }

        return list;
    }

    public async Task<string> CreateSandboxAsync(string containerId, CancellationToken cancellationToken)
    {
        var name = SandboxName(containerId);
        if (!File.Exists(SandboxPath(containerId)))
        {
            await HostCommand.IpAsync(cancellationToken, "netns", "add", name).ConfigureAwait(false);
        }

        await HostCommand.IpAsync(cancellationToken, "-n", name, "link", "set", "lo", "up").ConfigureAwait(false);
        return SandboxPath(containerId);
    }

    public async Task DeleteSandboxAsync(string containerId, CancellationToken cancellationToken)
    {
        if (File.Exists(SandboxPath(containerId)))
        {
            await HostCommand.RunAsync("ip", ["netns", "delete", SandboxName(containerId)], null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sandboxes of this daemon that exist on the host (by their name prefix).</summary>
    public IReadOnlyList<string> ListSandboxNames()
        => Directory.Exists(NetnsDirectory)
            ? [.. Directory.GetFiles(NetnsDirectory).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(netnsPrefix, StringComparison.Ordinal))]
            : [];

    /// <summary>
    /// A veth pair: the host end (<c>veth</c> and 7 hex digits, as Docker names them) on the
    /// bridge, the other end as <paramref name="ifName"/> inside the sandbox with the address,
    /// MAC and (for the first interface) the default route through the gateway.
    /// </summary>
    public async Task<string> AddEndpointAsync(string containerId, string bridge, string ifName, string addressCidr, string mac, string gateway, bool defaultRoute, CancellationToken cancellationToken)
    {
        var hostIf = "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7];
        var ns = SandboxName(containerId);
        await HostCommand.IpBatchAsync(null,
        [
            $"link add name {hostIf} type veth peer name {ifName} netns {ns}",
            $"link set {hostIf} master {bridge}",
            $"link set {hostIf} up",
        ], cancellationToken).ConfigureAwait(false);
        var inner = new List<string>
        {
            $"link set {ifName} address {mac}",
            $"addr add {addressCidr} dev {ifName}",
            $"link set {ifName} up",
        };
        if (defaultRoute && gateway.Length > 0)
        {
            inner.Add($"route replace default via {gateway} dev {ifName}");
        }

        try
        {
            await HostCommand.IpBatchAsync(ns, inner, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await HostCommand.RunAsync("ip", ["link", "del", hostIf], null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return hostIf;
    }

    public static async Task RemoveEndpointAsync(string hostInterface, CancellationToken cancellationToken)
    {
        if (hostInterface.Length > 0 && LinkExists(hostInterface))
        {
            await HostCommand.RunAsync("ip", ["link", "del", hostInterface], null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Docker's MAC for an IPv4 address: 02:42 and the four address bytes.</summary>
    public static string MacFor(uint address)
        => string.Create(CultureInfo.InvariantCulture, $"02:42:{address >> 24:x2}:{(address >> 16) & 255:x2}:{(address >> 8) & 255:x2}:{address & 255:x2}");
}
