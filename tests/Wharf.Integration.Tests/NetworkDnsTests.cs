using System.Net;

namespace Wharf.Integration.Tests;

/// <summary>
/// The embedded DNS server end to end with the real docker CLI and busybox's nslookup: names,
/// aliases and short IDs on user-defined networks, reverse lookups, forwarding to the
/// container's resolvers (a fake one on the host's loopback), no forwarding from internal
/// networks, and a running container connected to a user network.
/// </summary>
public sealed class NetworkDnsTests
{
    [Fact]
    public async Task Containers_on_a_user_network_find_each_other_by_name_alias_and_short_id()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.161.1/24");
        var d = n.D;
        var net = "dns-" + n.Tag;
        var web = "web-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.162.0/24", "-o", "com.docker.network.bridge.name=wd" + n.Tag, net)).ExitCode);
        var run = await d.DockerAsync("run", "-d", "--name", web, "--network", net, "--network-alias", "www", "--ip", "10.213.162.20", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();

        // The probe first starts a server of its own on port 53 (all addresses): the embedded
        // server is reached through a DNAT rule, so both work.
        var probe = await d.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c",
            $"httpd -p 53 -h /etc && echo own-port-53; cat /etc/resolv.conf; echo ==; nslookup {web}; echo ==; nslookup WWW; echo ==; nslookup {id[..12]}; echo ==; nslookup {web}.{net}; echo ==; nslookup 10.213.162.20; echo ==; wget -qO- http://{web}/hostname");
        Assert.True(probe.ExitCode == 0, probe.Stdout + probe.Stderr);
        Assert.StartsWith("own-port-53\n", probe.Stdout);
        var parts = probe.Stdout.Split("==\n");
        Assert.Contains("nameserver 127.0.0.11\n", parts[0]);
        Assert.Contains("options ndots:0\n", parts[0]);
        Assert.DoesNotContain("nameserver 8.8.8.8", parts[0]);
        for (var i = 1; i <= 4; i++)
        {
            Assert.Contains("Address: 10.213.162.20", parts[i]);
        }

        Assert.Contains($"name = {web}.{net}", parts[5]);
        Assert.Contains(id[..12], parts[6]);

        // A container on the default bridge keeps the host's resolvers and knows no names.
        // host-gateway stands for the default bridge's gateway.
        var onBridge = await d.DockerAsync("run", "--rm", "--add-host", "gw.test:host-gateway", "busybox", "sh", "-c", $"grep gw.test /etc/hosts; cat /etc/resolv.conf; nslookup {web} 127.0.0.11 || echo no-answer");
        Assert.Contains("10.213.161.1\tgw.test\n", onBridge.Stdout);
        Assert.DoesNotContain("127.0.0.11\n", onBridge.Stdout.Split("Server:")[0]);
        Assert.Contains("no-answer", onBridge.Stdout);

        // Connected to the network while it runs, it is pointed at the embedded server and finds the name.
        var later = await d.DockerAsync("run", "-d", "--name", "later-" + n.Tag, "busybox", "sleep", "60");
        Assert.True(later.ExitCode == 0, later.Stderr);
        Assert.Equal(0, (await d.DockerAsync("network", "connect", net, "later-" + n.Tag)).ExitCode);
        var found = await d.DockerAsync("exec", "later-" + n.Tag, "sh", "-c", $"cat /etc/resolv.conf; nslookup www");
        Assert.True(found.ExitCode == 0, found.Stdout + found.Stderr);
        Assert.Contains("nameserver 127.0.0.11", found.Stdout);
        Assert.Contains("Address: 10.213.162.20", found.Stdout);

        // A name that leaves: the web container is gone, its name with it.
        Assert.Equal(0, (await d.DockerAsync("rm", "-f", web)).ExitCode);
        var gone = await d.DockerAsync("exec", "later-" + n.Tag, "sh", "-c", $"nslookup {web} || echo no-answer");
        Assert.Contains("no-answer", gone.Stdout);

        Assert.Equal(0, (await d.DockerAsync("rm", "-f", "later-" + n.Tag)).ExitCode);
        Assert.Empty(n.Sandboxes());
        Assert.Equal(0, (await d.DockerAsync("network", "rm", net)).ExitCode);
    }

    [Fact]
    public async Task Other_names_go_to_the_containers_resolvers_but_not_from_an_internal_network()
    {
        await using var upstream = FakeUpstreamDns.Start("upstream.wharf.test", IPAddress.Parse("192.0.2.77"));
        await using var n = await NetworkDaemon.StartAsync("10.213.163.1/24");
        var d = n.D;
        var net = "fwd-" + n.Tag;
        var inner = "int-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.164.0/24", "-o", "com.docker.network.bridge.name=wf" + n.Tag, net)).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--internal", "--subnet", "10.213.165.0/24", "-o", "com.docker.network.bridge.name=wi" + n.Tag, inner)).ExitCode);

        var forwarded = await d.DockerAsync("run", "--rm", "--network", net, "--dns", upstream.Address.ToString(), "busybox", "sh", "-c", "cat /etc/resolv.conf; nslookup upstream.wharf.test");
        Assert.True(forwarded.ExitCode == 0, forwarded.Stdout + forwarded.Stderr);
        Assert.Contains("nameserver 127.0.0.11", forwarded.Stdout);
        Assert.DoesNotContain(upstream.Address.ToString(), forwarded.Stdout.Split("Server:")[0]);
        Assert.Contains("Address: 192.0.2.77", forwarded.Stdout);
        Assert.True(upstream.Queries > 0);

        // Only on an internal network: peers resolve, nothing is passed upstream.
        var peer = await d.DockerAsync("run", "-d", "--name", "peer-" + n.Tag, "--network", inner, "busybox", "sleep", "60");
        Assert.True(peer.ExitCode == 0, peer.Stderr);
        var before = upstream.Queries;
        var isolated = await d.DockerAsync("run", "--rm", "--network", inner, "--dns", upstream.Address.ToString(), "busybox", "sh", "-c", $"nslookup peer-{n.Tag}; echo ==; nslookup upstream.wharf.test || echo no-answer");
        var halves = isolated.Stdout.Split("==\n");
        Assert.Contains("Address: 10.213.165.", halves[0]);
        Assert.Contains("no-answer", halves[1]);
        Assert.DoesNotContain("192.0.2.77", halves[1]);
        Assert.Equal(before, upstream.Queries);

        Assert.Equal(0, (await d.DockerAsync("rm", "-f", "peer-" + n.Tag)).ExitCode);
        Assert.Empty(n.Sandboxes());
        Assert.Equal(0, (await d.DockerAsync("network", "rm", net, inner)).ExitCode);
    }

    [Fact]
    public async Task Host_gateway_is_the_daemons_host_gateway_ip_and_an_error_without_one()
    {
        await using (var bare = await WharfDaemon.StartAsync())
        {
            await bare.ImportAsync(Tars.Busybox("hg"), "busybox", "latest", "CMD [\"sh\"]");
            var refused = await bare.DockerAsync("create", "--add-host", "gw.test:host-gateway", "busybox");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("unable to derive the IP value for host-gateway", refused.Stderr);
            Assert.Equal("", (await bare.DockerAsync("ps", "-aq")).Stdout.Trim());
        }

        await using var d = await WharfDaemon.StartWithConfigAsync(cg => $$"""{"cgroup-parent":"{{cg}}","bridge":"none","host-gateway-ip":"192.0.2.10"}""");
        await d.ImportAsync(Tars.Busybox("hg2"), "busybox", "latest", "CMD [\"sh\"]");
        var run = await d.DockerAsync("run", "--rm", "--network", "none", "--add-host", "gw.test:host-gateway", "busybox", "grep", "gw.test", "/etc/hosts");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("192.0.2.10\tgw.test", run.Stdout.Trim());
    }
}
