using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Networking;

/// <summary>
/// Linux bridges, network namespaces and veth pairs. A container's sandbox is
/// a named network namespace (<c>/run/netns/&lt;prefix&gt;&lt;id12&gt;</c>) that runc joins; each
/// endpoint is a veth pair with the host end on the network's bridge and the other end inside
/// the sandbox, named eth0, eth1, ... Deleting the namespace takes the pairs with it.
/// What runs at every container start and stop (sandboxes, endpoints) talks rtnetlink itself
/// (<see cref="Netlink"/>): an <c>ip</c> process costs milliseconds each. Per-network work
/// (bridges, host prefixes) still runs iproute2.
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

    /// <summary>
    /// Makes the container's network namespace (as <c>ip netns add</c> would, so runc, <c>ip netns</c>
    /// and nsenter see it) with loopback up; an existing one only gets loopback brought up.
    /// </summary>
    public Task<string> CreateSandboxAsync(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = SandboxPath(containerId);
        Plumb($"network sandbox {SandboxName(containerId)}", () =>
        {
            if (File.Exists(path))
            {
                NetworkNamespace.Run(path, () => SetLoopbackUp());
            }
            else
            {
                NetworkNamespace.Create(path, () => SetLoopbackUp());
            }
        });
        return Task.FromResult(path);

        static int SetLoopbackUp()
        {
            using var netlink = Netlink.Open();
            netlink.SetUp(netlink.LinkIndex("lo"));
            return 0;
        }
    }

    public Task DeleteSandboxAsync(string containerId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        DeleteSandbox(SandboxName(containerId));
        return Task.CompletedTask;
    }

    /// <summary>Removes the namespace file of a sandbox by its name (the veth ends inside go with the namespace).</summary>
    public static void DeleteSandbox(string name)
        => Plumb($"network sandbox {name}", () => NetworkNamespace.Delete(Path.Combine(NetnsDirectory, name)));

    /// <summary>Sandboxes of this daemon that exist on the host (by their name prefix).</summary>
    public IReadOnlyList<string> ListSandboxNames()
        => Directory.Exists(NetnsDirectory)
            ? [.. Directory.GetFiles(NetnsDirectory).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(netnsPrefix, StringComparison.Ordinal))]
            : [];

    /// <summary>
    /// A veth pair: the host end (<c>veth</c> and 7 hex digits, as Docker names them) on the
    /// bridge and up, the other end made inside the sandbox as <paramref name="ifName"/> with the
    /// MAC, the MTU, the address and (for the first interface) the default route through the gateway.
    /// If a step fails the pair is deleted again.
    /// </summary>
    public Task<string> AddEndpointAsync(string containerId, string bridge, string ifName, string addressCidr, string mac, string gateway, bool defaultRoute, int mtu, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hostIf = "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7];
        var ns = SandboxPath(containerId);
        var slash = addressCidr.IndexOf('/', StringComparison.Ordinal);
        var address = IPAddress.Parse(addressCidr.AsSpan(0, slash));
        var prefixLength = int.Parse(addressCidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        var via = defaultRoute && gateway.Length > 0 ? IPAddress.Parse(gateway) : null;
        Plumb($"endpoint {ifName} of {SandboxName(containerId)} on {bridge}", () =>
        {
            using var host = Netlink.Open();
            var bridgeIndex = host.LinkIndex(bridge);
            host.CreateVethPair(hostIf, ifName, ns);
            try
            {
                var hostIndex = host.LinkIndex(hostIf);
                if (mtu != BridgeOptions.DefaultMtu)
                {
                    host.SetMtu(hostIndex, mtu);
                }

                host.SetMaster(hostIndex, bridgeIndex);
                host.SetUp(hostIndex);
                NetworkNamespace.Run(ns, () =>
                {
                    using var inner = Netlink.Open();
                    var index = inner.LinkIndex(ifName);
                    inner.SetMacAddress(index, mac);
                    if (mtu != BridgeOptions.DefaultMtu)
                    {
                        inner.SetMtu(index, mtu);
                    }

                    inner.AddAddress(index, address, prefixLength);
                    inner.SetUp(index);
                    if (via is not null)
                    {
                        inner.ReplaceDefaultRoute(via, index);
                    }

                    return 0;
                });
            }
            catch
            {
                try
                {
                    host.DeleteLink(hostIf);
                }
                catch (IOException)
                {
                    // Already gone (or going with the namespace): the first error is the one to report.
                }

                throw;
            }
        });
        return Task.FromResult(hostIf);
    }

    /// <summary>Deletes the host end of an endpoint's veth pair (the other end goes with it); a missing one is no error.</summary>
    public static Task RemoveEndpointAsync(string hostInterface, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (hostInterface.Length > 0)
        {
            Plumb($"endpoint {hostInterface}", () =>
            {
                using var netlink = Netlink.Open();
                try
                {
                    netlink.DeleteLink(hostInterface);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
                {
                    // Gone with its namespace already.
                }
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs netlink/namespace work; what the kernel refuses becomes an internal error naming the object.</summary>
    private static void Plumb(string what, Action action)
    {
        try
        {
            action();
        }
        catch (IOException e)
        {
            throw new WharfException(ErrorKind.Internal, $"{what}: {e.Message}");
        }
    }

    /// <summary>Docker's MAC for an IPv4 address: 02:42 and the four address bytes.</summary>
    public static string MacFor(uint address)
        => string.Create(CultureInfo.InvariantCulture, $"02:42:{address >> 24:x2}:{(address >> 16) & 255:x2}:{(address >> 8) & 255:x2}:{address & 255:x2}");
}
