using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// The bridge driver's options on a real daemon: the default bridge from daemon.json (<c>icc</c>,
/// <c>ip</c>, <c>mtu</c>) and user networks from <c>-o</c> (<c>enable_icc</c>,
/// <c>enable_ip_masquerade</c>, <c>host_binding_ipv4</c>, <c>driver.mtu</c>), and bad values.
/// </summary>
public sealed class NetworkOptionsTests
{
    private static async Task<string> IpOfAsync(WharfDaemon d, string container, string network)
        => (await d.DockerAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container)).Stdout.Trim();

    /// <summary>Whether <paramref name="from"/> gets the httpd answer of <paramref name="ip"/> within two seconds (busybox's wget -T crashes, so nc -w).</summary>
    private static async Task<bool> ReachesAsync(WharfDaemon d, string from, string ip)
    {
        var r = await d.DockerAsync("exec", from, "sh", "-c", $"printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {ip} 80");
        return r.Stdout.Contains(" 200 OK", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Icc_masquerade_binding_address_and_mtu_are_honoured_and_bad_values_refused()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.171.1/24", config: c =>
        {
            c["icc"] = false;
            c["ip"] = "127.0.0.1";
            c["mtu"] = 1400;
        });
        var d = n.D;

        // The default bridge shows the daemon's settings as dockerd does.
        var bridge = await d.GetJsonAsync("/networks/bridge");
        Assert.Equal("false", bridge["Options"]!["com.docker.network.bridge.enable_icc"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", bridge["Options"]!["com.docker.network.bridge.host_binding_ipv4"]!.GetValue<string>());
        Assert.Equal("1400", bridge["Options"]!["com.docker.network.driver.mtu"]!.GetValue<string>());

        var web = "web-" + n.Tag;
        var probe = "probe-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("run", "-d", "--name", web, "-p", "80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("run", "-d", "--name", probe, "busybox", "sleep", "120")).ExitCode);

        // --ip: a binding without an address goes to 127.0.0.1 and answers there.
        var port = (await d.DockerAsync("port", web, "80")).Stdout.Trim();
        Assert.StartsWith("127.0.0.1:", port);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            Assert.False(string.IsNullOrWhiteSpace(await http.GetStringAsync($"http://{port}/hostname")));
        }

        // --mtu on both ends of the pair; --icc=false: the two containers do not reach each other.
        Assert.Equal("1400", (await d.DockerAsync("exec", probe, "cat", "/sys/class/net/eth0/mtu")).Stdout.Trim());
        Assert.False(await ReachesAsync(d, probe, await IpOfAsync(d, web, "bridge")));

        // A user network with the default icc: they do; with enable_icc=false they do not.
        var open = "open-" + n.Tag;
        var closed = "closed-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.172.0/24", "-o", "com.docker.network.bridge.name=wo" + n.Tag,
            "-o", "com.docker.network.bridge.host_binding_ipv4=127.0.0.1", "-o", "com.docker.network.driver.mtu=1300", open)).ExitCode);
        var closedNet = await d.DockerAsync("network", "create", "--subnet", "10.213.173.0/24", "-o", "com.docker.network.bridge.name=wc" + n.Tag,
            "-o", "com.docker.network.bridge.enable_icc=false", "-o", "com.docker.network.bridge.enable_ip_masquerade=0", closed);
        Assert.True(closedNet.ExitCode == 0, closedNet.Stderr);
        foreach (var net in new[] { open, closed })
        {
            Assert.Equal(0, (await d.DockerAsync("network", "connect", net, web)).ExitCode);
            Assert.Equal(0, (await d.DockerAsync("network", "connect", net, probe)).ExitCode);
        }

        Assert.True(await ReachesAsync(d, probe, await IpOfAsync(d, web, open)));
        Assert.False(await ReachesAsync(d, probe, await IpOfAsync(d, web, closed)));
        Assert.Equal("1300", (await d.DockerAsync("exec", probe, "cat", "/sys/class/net/eth1/mtu")).Stdout.Trim());

        // enable_ip_masquerade=false: no masquerade for that subnet; the open network has one.
        var rules = string.Join('\n', await n.RulesAsync());
        Assert.Contains("-s 10.213.172.0/24 ! -o wo" + n.Tag + " -j MASQUERADE", rules);
        Assert.DoesNotContain("10.213.173.0/24", rules);
        Assert.Contains("-i wc" + n.Tag + " -o wc" + n.Tag + " -j DROP", rules);

        // host_binding_ipv4 of a user network: a container whose first network it is publishes there.
        var onOpen = await d.DockerAsync("run", "-d", "--network", open, "-p", "80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        Assert.True(onOpen.ExitCode == 0, onOpen.Stderr);
        Assert.StartsWith("127.0.0.1:", (await d.DockerAsync("port", onOpen.Stdout.Trim(), "80")).Stdout.Trim());

        // Bad values: dockerd's message, 400, and no network made.
        foreach (var (key, value, message) in new[]
        {
            ("com.docker.network.bridge.enable_icc", "maybe", "failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing \"maybe\": invalid syntax)"),
            ("com.docker.network.driver.mtu", "-1", "invalid MTU number: -1"),
            ("com.docker.network.bridge.host_binding_ipv4", "nowhere", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: nowhere (nil ip)"),
        })
        {
            var body = new JsonObject { ["Name"] = "bad-" + n.Tag, ["Options"] = new JsonObject { [key] = value } };
            var (status, text) = await d.SendAsync(HttpMethod.Post, "/networks/create", JsonContent.Create(body));
            Assert.Equal(400, status);
            Assert.Equal(message, JsonNode.Parse(text)!["message"]!.GetValue<string>());
        }

        var badPrefix = new JsonObject { ["Name"] = "bad-" + n.Tag, ["Options"] = new JsonObject { ["com.docker.network.container_iface_prefix"] = "no/slash" } };
        Assert.Equal(400, (await d.SendAsync(HttpMethod.Post, "/networks/create", JsonContent.Create(badPrefix))).Status);
        Assert.DoesNotContain("bad-" + n.Tag, (await d.DockerAsync("network", "ls", "--format", "{{.Name}}")).Stdout);

        // container_iface_prefix names the interfaces; the first network still gives the default route.
        var prefixed = "pfx-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.174.0/24", "-o", "com.docker.network.bridge.name=wp" + n.Tag,
            "-o", "com.docker.network.container_iface_prefix=wx", prefixed)).ExitCode);
        var names = await d.DockerAsync("run", "--rm", "--network", prefixed, "busybox", "sh", "-c", "ls /sys/class/net; ip route");
        Assert.True(names.ExitCode == 0, names.Stderr);
        Assert.Contains("wx0\n", names.Stdout);
        Assert.DoesNotContain("eth0", names.Stdout);
        Assert.Contains("default via 10.213.174.1 dev wx0", names.Stdout);
        Assert.Equal(0, (await d.DockerAsync("network", "rm", prefixed)).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("rm", "-f", web, probe, onOpen.Stdout.Trim())).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("network", "rm", open, closed)).ExitCode);
        Assert.DoesNotContain("wc" + n.Tag, string.Join('\n', await n.RulesAsync()));
    }
}
