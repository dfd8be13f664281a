namespace Wharf.Networking.Tests;

public sealed class CidrTests
{
    [Theory]
    [InlineData("10.213.1.0/24", "10.213.1.0/24")]
    [InlineData("10.213.1.77/24", "10.213.1.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.168.4.1/32", "192.168.4.1/32")]
    public void Parses_and_clears_host_bits(string text, string expected)
    {
        Assert.True(Cidr.TryParse(text, out var c, out _));
        Assert.Equal(expected, c.ToString());
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("10.213.1.0/33")]
    [InlineData("10.213.1.0")]
    [InlineData("10.213.1/24")]
    [InlineData("10.213.1.0/-1")]
    [InlineData("10.213.1.0/")]
    [InlineData("::1/64")]
    [InlineData("10.213.1.256/24")]
    public void Rejects_what_go_rejects(string text) => Assert.False(Cidr.TryParse(text, out _, out _));

    [Fact]
    public void Overlap_is_symmetric_and_exact()
    {
        Cidr.TryParse("10.213.0.0/16", out var big, out _);
        Cidr.TryParse("10.213.7.0/24", out var small, out _);
        Cidr.TryParse("10.214.0.0/24", out var other, out _);
        Assert.True(big.Overlaps(small));
        Assert.True(small.Overlaps(big));
        Assert.False(big.Overlaps(other));
        Assert.Equal("10.213.7.255", Cidr.Format(small.Broadcast));
    }
}
