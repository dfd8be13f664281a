using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Networks end to end with the real docker CLI: each test has its own daemon, default bridge
/// and 10.213.x.0/24 subnets, and sends traffic only to its own containers.
/// </summary>
public sealed class NetworkTests
{
    [Fact]
    public async Task Api_shapes_and_errors_are_dockerds()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.101.1/24");
        var d = n.D;
        var list = (await d.GetJsonAsync("/networks")).AsArray();
        Assert.Equal(["bridge", "host", "none"], list.Select(x => x!["Name"]!.GetValue<string>()).Order().ToArray());
        var bridge = list.Single(x => x!["Name"]!.GetValue<string>() == "bridge")!;
        Assert.Equal("10.213.101.0/24", bridge["IPAM"]!["Config"]![0]!["Subnet"]!.GetValue<string>());
        Assert.Equal(n.Bridge, bridge["Options"]!["com.docker.network.bridge.name"]!.GetValue<string>());
        Assert.True(NetworkDaemon.LinkExists(n.Bridge));

        var body = new JsonObject
        {
            ["Name"] = "net-" + n.Tag,
            ["Labels"] = new JsonObject { ["a"] = "b" },
            ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.213.102.0/24", ["Gateway"] = "10.213.102.1", ["IPRange"] = "10.213.102.128/25" }) },
            ["Options"] = new JsonObject { ["com.docker.network.bridge.name"] = "wu" + n.Tag },
        };
        var (status, created) = await d.SendAsync(HttpMethod.Post, "/networks/create", JsonContent.Create(body));
        Assert.Equal(201, status);
        var id = JsonNode.Parse(created)!["Id"]!.GetValue<string>();
        Assert.Equal("", JsonNode.Parse(created)!["Warning"]!.GetValue<string>());
        Assert.True(NetworkDaemon.LinkExists("wu" + n.Tag));

        var inspect = await d.GetJsonAsync("/networks/" + id[..10]);
        Assert.Equal(
            ["Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable", "Ingress", "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"],
            inspect.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal("""{"Subnet":"10.213.102.0/24","IPRange":"10.213.102.128/25","Gateway":"10.213.102.1"}""", inspect["IPAM"]!["Config"]![0]!.ToJsonString());
        Assert.Equal("b", inspect["Labels"]!["a"]!.GetValue<string>());

        var filtered = (await d.GetJsonAsync("/networks?filters=" + Uri.EscapeDataString("{\"name\":{\"" + n.Tag + "\":true}}"))).AsArray();
        Assert.Equal(id, Assert.Single(filtered)!["Id"]!.GetValue<string>());
        var custom = (await d.GetJsonAsync("/networks?filters=" + Uri.EscapeDataString("""{"type":{"custom":true}}"""))).AsArray();
        Assert.Equal(id, Assert.Single(custom)!["Id"]!.GetValue<string>());

        async Task Error(int expected, string message, JsonObject request)
        {
            var (s, b) = await d.SendAsync(HttpMethod.Post, "/networks/create", JsonContent.Create(request));
            Assert.True(s == expected, $"{s} {b}");
            Assert.Equal(message, JsonNode.Parse(b)!["message"]!.GetValue<string>());
        }

        await Error(409, $"network with name net-{n.Tag} already exists", new JsonObject { ["Name"] = "net-" + n.Tag });
        await Error(403, "Pool overlaps with other one on this address space", new JsonObject { ["Name"] = "o-" + n.Tag, ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.213.102.0/25" }) } });
        await Error(403, "Pool overlaps with other one on this address space", new JsonObject { ["Name"] = "o-" + n.Tag, ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.213.101.128/25" }) } });
        await Error(400, "Invalid subnet 10.213.103.0/33 : invalid CIDR address: 10.213.103.0/33", new JsonObject { ["Name"] = "c-" + n.Tag, ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.213.103.0/33" }) } });
        await Error(400, "failed to allocate gateway (10.213.104.1): Requested address is out of range", new JsonObject { ["Name"] = "g-" + n.Tag, ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.213.103.0/24", ["Gateway"] = "10.213.104.1" }) } });
        await Error(404, "plugin \"nosuch\" not found", new JsonObject { ["Name"] = "p-" + n.Tag, ["Driver"] = "nosuch" });

        Assert.Equal((404, """{"message":"network nosuch-net not found"}"""), Trimmed(await d.SendAsync(HttpMethod.Get, "/networks/nosuch-net")));
        Assert.Equal((404, """{"message":"network nosuch-net not found"}"""), Trimmed(await d.SendAsync(HttpMethod.Delete, "/networks/nosuch-net")));
        Assert.Equal((403, """{"message":"none is a pre-defined network and cannot be removed"}"""), Trimmed(await d.SendAsync(HttpMethod.Delete, "/networks/none")));
        Assert.Equal((403, """{"message":"bridge is a pre-defined network and cannot be removed"}"""), Trimmed(await d.SendAsync(HttpMethod.Delete, "/networks/bridge")));

        var (pruneStatus, pruned) = await d.SendAsync(HttpMethod.Post, "/networks/prune");
        Assert.Equal(200, pruneStatus);
        Assert.Equal($$"""{"NetworksDeleted":["net-{{n.Tag}}"]}""", pruned);
        Assert.False(NetworkDaemon.LinkExists("wu" + n.Tag));
        Assert.Equal(3, (await d.GetJsonAsync("/networks")).AsArray().Count);
    }

    [Fact]
    public async Task Containers_on_a_user_network_reach_each_other_and_the_host_reaches_them()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.111.1/24");
        var d = n.D;
        var net = "net-" + n.Tag;
        var create = await d.DockerAsync("network", "create", "--subnet", "10.213.112.0/24", "-o", "com.docker.network.bridge.name=wu" + n.Tag, "--label", "t=1", net);
        Assert.True(create.ExitCode == 0, create.Stderr);
        var run = await d.DockerAsync("run", "-d", "--name", "web-" + n.Tag, "--network", net, "--network-alias", "www", "--ip", "10.213.112.20", "--mac-address", "02:42:0a:d5:70:99", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();

        var ins = (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!;
        var ep = ins["Networks"]![net]!;
        Assert.Equal("10.213.112.20", ep["IPAddress"]!.GetValue<string>());
        Assert.Equal(24, ep["IPPrefixLen"]!.GetValue<int>());
        Assert.Equal("10.213.112.1", ep["Gateway"]!.GetValue<string>());
        Assert.Equal("02:42:0a:d5:70:99", ep["MacAddress"]!.GetValue<string>());
        Assert.Equal(64, ep["EndpointID"]!.GetValue<string>().Length);
        Assert.Equal(["www", id[..12]], ep["Aliases"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray());
        Assert.Equal("10.213.112.20", ep["IPAMConfig"]!["IPv4Address"]!.GetValue<string>());
        Assert.StartsWith("/run/netns/" + n.NetnsPrefix, ins["SandboxKey"]!.GetValue<string>());

        var netInspect = await d.GetJsonAsync("/networks/" + net);
        var member = netInspect["Containers"]![id]!;
        Assert.Equal("10.213.112.20/24", member["IPv4Address"]!.GetValue<string>());
        Assert.Equal("web-" + n.Tag, member["Name"]!.GetValue<string>());

        // Another container on the network fetches from the first; a default-bridge one gets
        // its address, route and /etc/hosts line.
        var fetch = await d.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", "printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.213.112.20 80");
        Assert.True(fetch.ExitCode == 0, fetch.Stderr);
        Assert.Contains("200 OK", fetch.Stdout);
        Assert.Contains(id[..12], fetch.Stdout);
        var onBridge = await d.DockerAsync("run", "--rm", "busybox", "sh", "-c", "ip -4 addr show eth0; ip route; tail -1 /etc/hosts");
        Assert.True(onBridge.ExitCode == 0, onBridge.Stderr);
        Assert.Contains("inet 10.213.111.", onBridge.Stdout);
        Assert.Contains("default via 10.213.111.1 dev eth0", onBridge.Stdout);
        Assert.Matches(@"10\.213\.111\.\d+\t[0-9a-f]{12}", onBridge.Stdout);

        // Isolation: a container of the default bridge cannot reach the user network's container.
        var isolated = await d.DockerAsync("run", "--rm", "busybox", "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 10.213.112.20 80");
        Assert.DoesNotContain("200 OK", isolated.Stdout);

        // The host reaches the container through the bridge.
        Assert.Contains(id[..12], await HttpGetAsync("10.213.112.20", 80, "/hostname"));

        var inUse = await d.SendAsync(HttpMethod.Delete, "/networks/" + net);
        Assert.Equal(403, inUse.Status);
        Assert.Contains("has active endpoints", inUse.Body);

        Assert.Equal(0, (await d.DockerAsync("rm", "-f", id)).ExitCode);
        Assert.Empty(n.Sandboxes());
        Assert.Equal(0, (await d.DockerAsync("network", "rm", net)).ExitCode);
        Assert.False(NetworkDaemon.LinkExists("wu" + n.Tag));
        Assert.DoesNotContain(await n.RulesAsync(), r => r.Contains("wu" + n.Tag, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_and_disconnect_hot_plug_a_nic_and_leave_nothing_behind()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.121.1/24");
        var d = n.D;
        var net = "net-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.122.0/24", "-o", "com.docker.network.bridge.name=wu" + n.Tag, net)).ExitCode);
        var run = await d.DockerAsync("run", "-d", "--name", "c-" + n.Tag, "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        var veths = n.BridgePorts().Count;

        var connect = await d.DockerAsync("network", "connect", "--alias", "extra", "--ip", "10.213.122.33", net, id);
        Assert.True(connect.ExitCode == 0, connect.Stderr);
        var addrs = await d.DockerAsync("exec", id, "ip", "-4", "addr");
        Assert.Contains("inet 10.213.122.33/24", addrs.Stdout);
        Assert.Contains("eth1", addrs.Stdout);
        var ep = (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!["Networks"]![net]!;
        Assert.Equal("10.213.122.33", ep["IPAddress"]!.GetValue<string>());
        Assert.Contains("extra", ep["Aliases"]!.AsArray().Select(a => a!.GetValue<string>()));

        var again = await d.DockerAsync("network", "connect", net, id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists in network", again.Stderr);

        Assert.Equal(0, (await d.DockerAsync("network", "disconnect", net, id)).ExitCode);
        Assert.DoesNotContain("10.213.122.", (await d.DockerAsync("exec", id, "ip", "-4", "addr")).Stdout);
        var notConnected = await d.SendAsync(HttpMethod.Post, $"/networks/{net}/disconnect", JsonContent.Create(new JsonObject { ["Container"] = id }));
        Assert.Equal(500, notConnected.Status);
        Assert.Contains($"container {id} is not connected to the network {net}", notConnected.Body);
        var unknown = await d.SendAsync(HttpMethod.Post, $"/networks/{net}/connect", JsonContent.Create(new JsonObject { ["Container"] = "nosuch-" + n.Tag }));
        Assert.Equal(404, unknown.Status);
        var host = await d.SendAsync(HttpMethod.Post, "/networks/host/connect", JsonContent.Create(new JsonObject { ["Container"] = id }));
        Assert.Equal((400, """{"message":"container cannot be disconnected from host network or connected to host network"}"""), (host.Status, host.Body.Trim()));

        // 200 cycles through the API: every veth and address comes back.
        for (var i = 0; i < 200; i++)
        {
            var (cs, cb) = await d.SendAsync(HttpMethod.Post, $"/networks/{net}/connect", JsonContent.Create(new JsonObject { ["Container"] = id }));
            Assert.True(cs == 200, cb);
            var (ds, db) = await d.SendAsync(HttpMethod.Post, $"/networks/{net}/disconnect", JsonContent.Create(new JsonObject { ["Container"] = id }));
            Assert.True(ds == 200, db);
        }

        Assert.Equal(veths, n.BridgePorts().Count);
        var reconnect = await d.DockerAsync("network", "connect", net, id);
        Assert.True(reconnect.ExitCode == 0, reconnect.Stderr);
        Assert.StartsWith("10.213.122.", (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!["Networks"]![net]!["IPAddress"]!.GetValue<string>());

        // Stop: the sandbox and both veths go; the memberships stay, without addresses.
        Assert.Equal(0, (await d.DockerAsync("stop", "-t", "0", id)).ExitCode);
        Assert.Empty(n.Sandboxes());
        Assert.Equal(veths - 1, n.BridgePorts().Count);
        var stopped = (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!;
        Assert.Equal("", stopped["Networks"]![net]!["IPAddress"]!.GetValue<string>());
        Assert.Equal("", stopped["SandboxKey"]!.GetValue<string>());
        Assert.Equal(0, (await d.DockerAsync("start", id)).ExitCode);
        Assert.Contains("eth1", (await d.DockerAsync("exec", id, "ip", "-4", "addr")).Stdout);
        Assert.Equal(0, (await d.DockerAsync("rm", "-f", id)).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("network", "rm", net)).ExitCode);
    }

    [Fact]
    public async Task A_restarted_daemon_keeps_running_containers_connected_and_reconciles_the_rest()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.131.1/24");
        var d = n.D;
        var run = await d.DockerAsync("run", "-d", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        var ip = (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!["IPAddress"]!.GetValue<string>();
        Assert.StartsWith("10.213.131.", ip);
        var net = "rs-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.132.0/24", "-o", "com.docker.network.bridge.name=wr" + n.Tag, net)).ExitCode);
        var named = await d.DockerAsync("run", "-d", "--name", "named-" + n.Tag, "--network", net, "busybox", "sleep", "120");
        Assert.True(named.ExitCode == 0, named.Stderr);

        await d.KillAsync();
        await d.StartProcessAsync();

        // The embedded DNS server serves the containers that kept running.
        var lookup = await d.DockerAsync("exec", "named-" + n.Tag, "nslookup", "named-" + n.Tag);
        Assert.True(lookup.ExitCode == 0, lookup.Stdout + lookup.Stderr);
        Assert.Contains("Address: 10.213.132.", lookup.Stdout);
        Assert.Equal(0, (await d.DockerAsync("rm", "-f", "named-" + n.Tag)).ExitCode);
        Assert.Equal(0, (await d.DockerAsync("network", "rm", net)).ExitCode);
        Assert.Equal(ip, (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!["IPAddress"]!.GetValue<string>());
        var other = await d.DockerAsync("run", "--rm", "busybox", "sh", "-c", $"ip -4 addr show eth0; printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 {ip} 80");
        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.DoesNotContain($"inet {ip}/", other.Stdout);
        Assert.Contains(id[..12], other.Stdout);
        Assert.Single(n.Sandboxes());
        Assert.Contains(await n.RulesAsync(), r => r.Contains("MASQUERADE", StringComparison.Ordinal) && r.Contains("10.213.131.0/24", StringComparison.Ordinal));

        Assert.Equal(0, (await d.DockerAsync("rm", "-f", id)).ExitCode);
        Assert.Empty(n.Sandboxes());
    }

    private static (int Status, string Body) Trimmed((int Status, string Body) r) => (r.Status, r.Body.Trim());

    /// <summary>A plain HTTP/1.0 GET from the host to a test container's address.</summary>
    internal static async Task<string> HttpGetAsync(string host, int port, string path)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(host, port, cts.Token);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\n\r\n"), cts.Token);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cts.Token);
    }
}
