using System.Text.Json;
using Wharf.Api.Containers;

namespace Wharf.Api.Tests.Containers;

/// <summary>Rates of Wharf's bandwidth-limit labels and flags: tc's bit units, plain bits per second, a checked range.</summary>
public sealed class NetworkRateTests
{
    [Theory]
    [InlineData("8000000", 8_000_000)]
    [InlineData("8mbit", 8_000_000)]
    [InlineData("8Mbit", 8_000_000)]
    [InlineData(" 10 mbit ", 10_000_000)]
    [InlineData("512kbit", 512_000)]
    [InlineData("1.5gbit", 1_500_000_000)]
    [InlineData("1tbit", 1_000_000_000_000)]
    [InlineData("2000bit", 2_000)]
    [InlineData("1kibit", 1_024)]
    [InlineData("1mibit", 1_048_576)]
    [InlineData("2gibit", 2_147_483_648)]
    [InlineData("0", 0)]
    [InlineData("0mbit", 0)]
    public void Valid_rates_parse_to_bits_per_second(string text, long expected)
    {
        Assert.True(NetworkRate.TryParse(text, out var bits));
        Assert.Equal(expected, bits);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("fast")]
    [InlineData("mbit")]
    [InlineData("-1")]
    [InlineData("-8mbit")]
    [InlineData("10M")]
    [InlineData("10mbps")]
    [InlineData("10kbps")]
    [InlineData("10bps")]
    [InlineData("1.2.3mbit")]
    [InlineData("999")]
    [InlineData("0.5kbit")]
    [InlineData("1.1tbit")]
    [InlineData("99999999999999999999999999999")]
    [InlineData("8 mbit extra")]
    public void Bad_rates_are_refused(string? text)
        => Assert.False(NetworkRate.TryParse(text, out _));

    [Fact]
    public void The_range_is_one_kbit_to_one_tbit()
    {
        Assert.True(NetworkRate.IsValid(NetworkRate.Minimum));
        Assert.True(NetworkRate.IsValid(NetworkRate.Maximum));
        Assert.False(NetworkRate.IsValid(NetworkRate.Minimum - 1));
        Assert.False(NetworkRate.IsValid(NetworkRate.Maximum + 1));
        Assert.False(NetworkRate.IsValid(-8_000_000));
    }

    [Theory]
    [InlineData(8_000_000, "8mbit")]
    [InlineData(1_500_000, "1500kbit")]
    [InlineData(1_234, "1234bit")]
    [InlineData(2_000_000_000, "2gbit")]
    public void Rates_format_in_the_largest_whole_unit(long bits, string expected)
        => Assert.Equal(expected, NetworkRate.Format(bits));

    [Fact]
    public void Inspect_writes_the_extension_fields_only_when_set()
    {
        var plain = JsonSerializer.Serialize(new HostConfig(), ContainerJsonContext.Default.HostConfig);
        Assert.DoesNotContain("WharfNetworkRate", plain, StringComparison.Ordinal);
        var limited = JsonSerializer.Serialize(new HostConfig { WharfNetworkRateEgress = 8_000_000 }, ContainerJsonContext.Default.HostConfig);
        Assert.Contains("\"WharfNetworkRateEgress\":8000000", limited, StringComparison.Ordinal);
        Assert.DoesNotContain("WharfNetworkRateIngress", limited, StringComparison.Ordinal);
    }
}
