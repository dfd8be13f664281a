namespace Wharf.Networking.Tests;

public sealed class AddressPoolTests
{
    private static AddressPool Pool(string subnet, string? range = null)
    {
        Cidr.TryParse(subnet, out var s, out _);
        var r = s;
        if (range is not null)
        {
            Cidr.TryParse(range, out r, out _);
        }

        return new AddressPool(s, r, s.Network + 1);
    }

    [Fact]
    public void Skips_network_gateway_and_broadcast_and_hands_out_in_order()
    {
        var p = Pool("10.213.9.0/30");
        Assert.Equal("10.213.9.2", Cidr.Format(p.Allocate()!.Value));
        Assert.Null(p.Allocate());
    }

    [Fact]
    public void Takes_from_the_range_and_reserves_static_addresses()
    {
        var p = Pool("10.213.9.0/24", "10.213.9.128/25");
        Cidr.TryParseAddress("10.213.9.128", out var first);
        Assert.True(p.TryReserve(first));
        Assert.False(p.TryReserve(first));
        Assert.Equal("10.213.9.129", Cidr.Format(p.Allocate()!.Value));
        Cidr.TryParseAddress("10.213.9.1", out var gateway);
        Assert.False(p.TryReserve(gateway));
        Cidr.TryParseAddress("10.213.10.1", out var outside);
        Assert.False(p.TryReserve(outside));
    }

    [Fact]
    public void Released_addresses_come_back_after_the_rest_of_the_range()
    {
        var p = Pool("10.213.9.0/29");
        var a = p.Allocate()!.Value;
        var b = p.Allocate()!.Value;
        p.Release(a);
        Assert.NotEqual(a, p.Allocate()!.Value);
        Assert.Equal(2, p.Count);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Mac_is_dockers_02_42_and_the_address()
    {
        Cidr.TryParseAddress("172.17.0.2", out var ip);
        Assert.Equal("02:42:ac:11:00:02", BridgeDriver.MacFor(ip));
    }
}
