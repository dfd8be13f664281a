namespace Wharf.Networking.Tests;

public sealed class TrafficShaperTests
{
    [Fact]
    public void A_rate_becomes_a_tbf_root_qdisc_with_a_small_bucket()
    {
        Assert.Equal(
            ["qdisc", "replace", "dev", "veth1234567", "root", "tbf", "rate", "8000000bit", "burst", "16384", "latency", "50ms"],
            TrafficShaper.TbfArgs("veth1234567", 8_000_000));
    }

    [Theory]
    [InlineData(1_000, 16 * 1024)]
    [InlineData(8_000_000, 16 * 1024)]
    [InlineData(1_000_000_000, 1_250_000)]
    [InlineData(1_000_000_000_000, 32 * 1024 * 1024)]
    public void The_bucket_holds_ten_milliseconds_between_a_few_frames_and_32_mib(long rate, long burst)
        => Assert.Equal(burst, TrafficShaper.Burst(rate));
}
