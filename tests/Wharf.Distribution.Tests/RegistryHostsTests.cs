namespace Wharf.Distribution.Tests;

public sealed class RegistryHostsTests
{
    private static RegistryHosts Hosts(string[]? mirrors = null, string[]? insecure = null)
        => new(new RegistrySettings { StateRoot = "/nonexistent", Mirrors = mirrors ?? [], InsecureRegistries = insecure ?? [] });

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.9.9.9", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example:5000", false)]
    [InlineData("10.1.2.3:5000", true)]
    [InlineData("10.2.0.1:5000", false)]
    [InlineData("my.registry", true)]
    public void LoopbackListedHostsAndCidrsAreInsecure(string host, bool insecure)
    {
        using var h = Hosts(insecure: ["10.1.0.0/16", "my.registry"]);
        Assert.Equal(insecure, h.IsInsecure(host));
    }

    [Fact]
    public void MirrorsComeFirstForEveryRegistryThenTheRegistry()
    {
        using var h = Hosts(mirrors: ["http://127.0.0.1:7000/", "https://mirror.example"]);
        var eps = h.EndpointsFor("registry.example:5000");
        Assert.Equal(["127.0.0.1:7000", "mirror.example", "registry.example:5000"], eps.Select(e => e.Host));
        Assert.Equal("http", eps[0].ForcedScheme);
        Assert.Equal("https", eps[1].ForcedScheme);
        Assert.True(eps[0].IsMirror);
        Assert.False(eps[2].IsMirror);
        Assert.True(eps[2].Secure);
    }

    [Fact]
    public void DockerHubIsReachedAtItsApiHost()
    {
        using var h = Hosts();
        Assert.Equal("registry-1.docker.io", h.EndpointsFor("docker.io").Single().Host);
    }
}
