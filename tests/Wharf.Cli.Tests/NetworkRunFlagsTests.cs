using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed class NetworkRunFlagsTests
{
    private static JsonObject Build(params string[] args)
    {
        var (flags, rest) = ArgParser.Parse(ContainerOptions.Flags, args, interspersed: false);
        return ContainerOptions.BuildCreateBody(flags, rest[0], rest.Skip(1).ToList(), _ => null, _ => [], attachStdio: false);
    }

    [Theory]
    [InlineData("80", "80/tcp", "", "")]
    [InlineData("8080:80", "80/tcp", "", "8080")]
    [InlineData("127.0.0.1:8080:80/udp", "80/udp", "127.0.0.1", "8080")]
    [InlineData("127.0.0.1::80", "80/tcp", "127.0.0.1", "")]
    [InlineData("8000-8010:80", "80/tcp", "", "8000-8010")]
    public void Publish_specs_parse_as_dockers(string spec, string key, string ip, string hostPort)
        => Assert.Equal([(key, ip, hostPort)], NetworkRunFlags.ParsePublish(spec));

    [Fact]
    public void Ranges_pair_up_and_mismatched_ranges_are_refused()
    {
        Assert.Equal([("80/tcp", "", "8000"), ("81/tcp", "", "8001")], NetworkRunFlags.ParsePublish("8000-8001:80-81"));
        Assert.Throws<CliErrorException>(() => NetworkRunFlags.ParsePublish("8000-8002:80-81"));
        Assert.Throws<CliErrorException>(() => NetworkRunFlags.ParsePublish("80/icmp"));
        Assert.Throws<CliErrorException>(() => NetworkRunFlags.ParsePublish("x:80"));
    }

    [Fact]
    public void Flags_fill_port_bindings_exposed_ports_and_the_endpoint()
    {
        var body = Build("-p", "8080:80", "-P", "--expose", "9000-9001", "--network", "mynet", "--ip", "10.213.1.5", "--network-alias", "web", "--dns", "10.213.1.1", "--add-host", "h:10.0.0.1", "busybox");
        Assert.Equal("8080", body["HostConfig"]!["PortBindings"]!["80/tcp"]![0]!["HostPort"]!.GetValue<string>());
        Assert.True(body["HostConfig"]!["PublishAllPorts"]!.GetValue<bool>());
        Assert.Equal(["80/tcp", "9000/tcp", "9001/tcp"], body["ExposedPorts"]!.AsObject().Select(p => p.Key).Order());
        var ep = body["NetworkingConfig"]!["EndpointsConfig"]!["mynet"]!;
        Assert.Equal("10.213.1.5", ep["IPAMConfig"]!["IPv4Address"]!.GetValue<string>());
        Assert.Equal("web", ep["Aliases"]![0]!.GetValue<string>());
        Assert.Equal("10.213.1.1", body["HostConfig"]!["Dns"]![0]!.GetValue<string>());
        Assert.Equal("h:10.0.0.1", body["HostConfig"]!["ExtraHosts"]![0]!.GetValue<string>());
    }
}
