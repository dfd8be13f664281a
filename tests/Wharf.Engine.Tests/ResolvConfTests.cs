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
}
