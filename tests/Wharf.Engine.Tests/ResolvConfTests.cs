using Wharf.Core.Containers;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests;

public sealed class ResolvConfTests
{
    private static readonly string[] Host = ["# from the host", "nameserver 127.0.0.53", "nameserver 10.0.0.2", "search corp.example", "options edns0"];

    [Fact]
    public void NothingAskedGivesTheHostsFileWithoutLoopbackResolvers()
    {
        Assert.Equal("nameserver 10.0.0.2\nsearch corp.example\noptions edns0\n", ContainerService.ResolvConfFor(new ContainerHostSettings(), Host));
    }

    [Fact]
    public void SearchAndOptionsReplaceTheHostsAndComeAroundTheNameservers()
    {
        var host = new ContainerHostSettings { DnsSearch = ["a.example", "b.example"], DnsOptions = ["ndots:2", "timeout:1"] };

        Assert.Equal("search a.example b.example\nnameserver 10.0.0.2\noptions ndots:2 timeout:1\n", ContainerService.ResolvConfFor(host, Host));
    }

    [Fact]
    public void OnlyDnsKeepsTheHostsSearchAndOptionsAndADotMeansNoSearch()
    {
        Assert.Equal("search corp.example\nnameserver 192.0.2.1\noptions edns0\n", ContainerService.ResolvConfFor(new ContainerHostSettings { Dns = ["192.0.2.1"] }, Host));
        Assert.Equal("nameserver 10.0.0.2\noptions edns0\n", ContainerService.ResolvConfFor(new ContainerHostSettings { DnsSearch = ["."] }, Host));
    }

    [Fact]
    public void OnAUserNetworkTheEmbeddedServerIsTheOneNameserverWithNdotsZero()
    {
        Assert.Equal("search corp.example\nnameserver 127.0.0.11\noptions edns0 ndots:0\n", ContainerService.ResolvConfFor(new ContainerHostSettings { Dns = ["192.0.2.1"] }, Host, embedded: true));
        Assert.Equal("search a.example\nnameserver 127.0.0.11\noptions ndots:3\n", ContainerService.ResolvConfFor(new ContainerHostSettings { DnsSearch = ["a.example"], DnsOptions = ["ndots:3"] }, Host, embedded: true));
        Assert.Equal("nameserver 127.0.0.11\noptions ndots:0\n", ContainerService.ResolvConfFor(new ContainerHostSettings(), [], embedded: true));
    }

    [Fact]
    public void TheEmbeddedServerAsksTheContainersDnsElseEveryHostResolverLoopbackIncluded()
    {
        Assert.Equal(["192.0.2.1"], ContainerService.DnsUpstreamsFor(new ContainerHostSettings { Dns = ["192.0.2.1"] }, Host));
        Assert.Equal(["127.0.0.53", "10.0.0.2"], ContainerService.DnsUpstreamsFor(new ContainerHostSettings(), Host));
        Assert.Equal(["8.8.8.8", "8.8.4.4"], ContainerService.DnsUpstreamsFor(new ContainerHostSettings(), []));
    }
}
