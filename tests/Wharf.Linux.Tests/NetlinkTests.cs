using System.Net;

namespace Wharf.Linux.Tests;

/// <summary>
/// rtnetlink requests against real namespaces. Each test works inside a scratch "host"
/// namespace of its own (so the machine's own links are never touched) and compares what
/// <see cref="Netlink"/> made with what the iproute2 commands it replaces make. Every
/// namespace has a unique <c>wnlt</c> name and is deleted also on failure, taking its links along.
/// </summary>
public sealed class NetlinkTests
{
    private const string Mac = "02:42:0a:d5:fa:02";

    [Fact]
    public void AnEndpointEqualsTheOneTheIpCommandsMake()
    {
        var host = Host.UniqueName();
        var ours = Host.UniqueName();
        var theirs = Host.UniqueName();
        var bridge = Host.UniqueName();
        var hostEndOurs = Host.UniqueName();
        var hostEndTheirs = Host.UniqueName();
        try
        {
            Host.Run("ip", "netns", "add", host);
            Host.Run("ip", "netns", "add", theirs);
            NetworkNamespace.Create("/run/netns/" + ours);
            Host.IpBatch(host, $"link add name {bridge} type bridge", $"addr add 10.213.250.1/24 dev {bridge}", $"link set {bridge} up");

            NetworkNamespace.Run("/run/netns/" + host, () =>
            {
                using var netlink = Netlink.Open();
                var bridgeIndex = netlink.LinkIndex(bridge);
                netlink.CreateVethPair(hostEndOurs, "eth0", "/run/netns/" + ours);
                var index = netlink.LinkIndex(hostEndOurs);
                netlink.SetMaster(index, bridgeIndex);
                netlink.SetUp(index);
                return 0;
            });
            using (var inner = Netlink.OpenIn("/run/netns/" + ours))
            {
                var index = inner.LinkIndex("eth0");
                inner.SetMacAddress(index, Mac);
                inner.AddAddress(index, IPAddress.Parse("10.213.250.2"), 24);
                inner.SetUp(index);
                inner.ReplaceDefaultRoute(IPAddress.Parse("10.213.250.1"), index);
            }

            // Traffic flows through it: the bridge's address answers a ping from inside.
            Assert.Equal(0, Host.TryRun("ip", "netns", "exec", ours, "/bin/busybox", "ping", "-c1", "-W2", "10.213.250.1").Code);

            // What BridgeDriver ran before (same address and MAC: only the listings are compared from here on).
            Host.IpBatch(host, $"link add name {hostEndTheirs} type veth peer name eth0 netns {theirs}", $"link set {hostEndTheirs} master {bridge}", $"link set {hostEndTheirs} up");
            Host.IpBatch(theirs, $"link set eth0 address {Mac}", "addr add 10.213.250.2/24 dev eth0", "link set eth0 up", "route replace default via 10.213.250.1 dev eth0");

            // (IPv4 only: with one MAC twice on the bridge, IPv6 duplicate address detection fails for one of them.)
            Assert.Equal(Host.Normalize(Host.Run("ip", "-n", theirs, "-o", "link", "show", "dev", "eth0")), Host.Normalize(Host.Run("ip", "-n", ours, "-o", "link", "show", "dev", "eth0")));
            Assert.Equal(Host.Normalize(Host.Run("ip", "-n", theirs, "-4", "-o", "addr", "show", "dev", "eth0")), Host.Normalize(Host.Run("ip", "-n", ours, "-4", "-o", "addr", "show", "dev", "eth0")));

            Assert.Equal(Host.Run("ip", "-n", theirs, "route"), Host.Run("ip", "-n", ours, "route"));
            Assert.Contains("default via 10.213.250.1 dev eth0", Host.Run("ip", "-n", ours, "route"), StringComparison.Ordinal);
            Assert.Contains("inet 10.213.250.2/24 scope global eth0", Host.Run("ip", "-n", ours, "-o", "addr", "show", "dev", "eth0"), StringComparison.Ordinal);

            // The host ends: on the bridge and up (their MACs are random).
            var hostOurs = HostEnd(Host.Run("ip", "-n", host, "-o", "link", "show", "dev", hostEndOurs), hostEndOurs);
            Assert.Equal(HostEnd(Host.Run("ip", "-n", host, "-o", "link", "show", "dev", hostEndTheirs), hostEndTheirs), hostOurs);
            Assert.Contains($"master {bridge}", hostOurs, StringComparison.Ordinal);
            Assert.Contains("state UP", hostOurs, StringComparison.Ordinal);
        }
        finally
        {
            Host.RemoveNetns(host);
            Host.RemoveNetns(ours);
            Host.RemoveNetns(theirs);
        }

        static string HostEnd(string line, string name)
            => System.Text.RegularExpressions.Regex.Replace(Host.Normalize(line, name), @"link/ether \S+", "link/ether M");
    }

    [Fact]
    public void TheKernelsRefusalsCarryTheirErrno()
    {
        var host = Host.UniqueName();
        var a = Host.UniqueName();
        var b = Host.UniqueName();
        try
        {
            Host.Run("ip", "netns", "add", host);
            using var netlink = Netlink.OpenIn("/run/netns/" + host);

            Assert.False(netlink.TryLinkIndex(a, out _));
            Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => netlink.LinkIndex(a)).Errno);
            Assert.Equal(Errno.ENODEV, Assert.Throws<NetlinkException>(() => netlink.DeleteLink(a)).Errno);

            netlink.CreateVethPair(a, b);
            var e = Assert.Throws<NetlinkException>(() => netlink.CreateVethPair(a, b));
            Assert.Equal(Errno.EEXIST, e.Errno);
            Assert.Contains(a, e.Message, StringComparison.Ordinal);

            var index = netlink.LinkIndex(a);
            netlink.AddAddress(index, IPAddress.Parse("10.213.251.2"), 24);
            Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => netlink.AddAddress(index, IPAddress.Parse("10.213.251.2"), 24)).Errno);
            Assert.Equal(Errno.EINVAL, Assert.Throws<NetlinkException>(() => netlink.AddAddress(index, IPAddress.Parse("10.213.251.3"), 33)).Errno);
            Assert.Throws<ArgumentException>(() => netlink.SetMacAddress(index, "02:42:zz:00:00:01"));

            // A veth end takes its peer along.
            Assert.True(netlink.TryLinkIndex(b, out _));
            netlink.DeleteLink(a);
            Assert.False(netlink.TryLinkIndex(a, out _));
            Assert.False(netlink.TryLinkIndex(b, out _));
        }
        finally
        {
            Host.RemoveNetns(host);
        }
    }

    [Fact]
    public void ASocketSeesOnlyItsOwnNamespace()
    {
        var one = Host.UniqueName();
        var two = Host.UniqueName();
        var link = Host.UniqueName();
        try
        {
            Host.Run("ip", "netns", "add", one);
            Host.Run("ip", "netns", "add", two);
            using var first = Netlink.OpenIn("/run/netns/" + one);
            using var second = Netlink.OpenIn("/run/netns/" + two);

            // Used from this (pool) thread, each socket still acts in its own namespace.
            first.CreateVethPair(link, "eth0", "/run/netns/" + two);
            Assert.True(first.TryLinkIndex(link, out _));
            Assert.False(first.TryLinkIndex("eth0", out _));
            Assert.True(second.TryLinkIndex("eth0", out _));
            Assert.False(second.TryLinkIndex(link, out _));
            Assert.Contains("eth0@", Host.Run("ip", "-n", two, "-o", "link"), StringComparison.Ordinal);
        }
        finally
        {
            Host.RemoveNetns(one);
            Host.RemoveNetns(two);
        }
    }
}
