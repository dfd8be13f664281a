using Wharf.Core.Errors;
using Xunit;

namespace Wharf.Networking.Tests;

public sealed class BridgeOptionsTests
{
    private static BridgeOptions Parse(params (string Key, string Value)[] options)
        => BridgeOptions.Parse(options.ToDictionary(o => o.Key, o => o.Value), BridgeOptions.Defaults);

    [Fact]
    public void Absent_options_keep_the_defaults()
    {
        Assert.Equal(BridgeOptions.Defaults, Parse());
        Assert.Equal(new BridgeOptions(true, true, "0.0.0.0", 1500), BridgeOptions.Defaults);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("F", false)]
    [InlineData("FALSE", false)]
    [InlineData("True", true)]
    [InlineData("t", true)]
    [InlineData("1", true)]
    public void Booleans_take_gos_spellings(string value, bool expected)
    {
        Assert.Equal(expected, Parse((BridgeOptions.EnableIcc, value)).Icc);
        Assert.Equal(expected, Parse((BridgeOptions.EnableIpMasquerade, value)).Masquerade);
    }

    [Fact]
    public void Values_are_read()
    {
        var o = Parse((BridgeOptions.HostBindingIpv4, "127.0.0.1"), (BridgeOptions.DriverMtu, "1400"));
        Assert.Equal("127.0.0.1", o.BindingIp);
        Assert.Equal(1400, o.Mtu);
        Assert.Equal(1500, Parse((BridgeOptions.DriverMtu, "0")).Mtu);
    }

    [Theory]
    [InlineData(BridgeOptions.EnableIcc, "yes", "failed to parse com.docker.network.bridge.enable_icc value: yes (strconv.ParseBool: parsing \"yes\": invalid syntax)")]
    [InlineData(BridgeOptions.EnableIpMasquerade, "", "failed to parse com.docker.network.bridge.enable_ip_masquerade value:  (strconv.ParseBool: parsing \"\": invalid syntax)")]
    [InlineData(BridgeOptions.DriverMtu, "big", "failed to parse com.docker.network.driver.mtu value: big (strconv.Atoi: parsing \"big\": invalid syntax)")]
    [InlineData(BridgeOptions.DriverMtu, "-5", "invalid MTU number: -5")]
    [InlineData(BridgeOptions.DriverMtu, "70000", "invalid MTU number: 70000")]
    [InlineData(BridgeOptions.HostBindingIpv4, "localhost", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: localhost (nil ip)")]
    [InlineData(BridgeOptions.HostBindingIpv4, "10.1", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: 10.1 (nil ip)")]
    public void Bad_values_are_refused_with_dockerds_message(string key, string value, string message)
    {
        var e = Assert.Throws<WharfException>(() => Parse((key, value)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }
}
