using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed class NetworkRateFlagsTests
{
    private static JsonObject Build(params string[] args)
    {
        var (flags, rest) = ArgParser.Parse(ContainerOptions.Flags, args, interspersed: false);
        return ContainerOptions.BuildCreateBody(flags, rest[0], rest.Skip(1).ToList(), _ => null, _ => [], attachStdio: false);
    }

    [Fact]
    public void Rate_flags_fill_the_host_config_extension_in_bits_per_second()
    {
        var host = Build("--network-rate-in", "10mbit", "--network-rate-out", "512000", "busybox")["HostConfig"]!;
        Assert.Equal(10_000_000, host["WharfNetworkRateIngress"]!.GetValue<long>());
        Assert.Equal(512_000, host["WharfNetworkRateEgress"]!.GetValue<long>());
    }

    [Fact]
    public void Without_the_flags_or_with_zero_nothing_is_sent()
    {
        var host = Build("--network-rate-in", "0", "busybox")["HostConfig"]!.AsObject();
        Assert.False(host.ContainsKey("WharfNetworkRateIngress"));
        Assert.False(host.ContainsKey("WharfNetworkRateEgress"));
    }

    [Fact]
    public void A_bad_rate_is_a_usage_error_naming_the_flag()
    {
        var e = Assert.Throws<UsageException>(() => Build("--network-rate-out", "10mbps", "busybox"));
        Assert.Contains("\"--network-rate-out\"", e.Message, StringComparison.Ordinal);
    }
}
