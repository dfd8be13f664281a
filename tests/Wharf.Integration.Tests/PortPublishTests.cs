using System.Net.Sockets;

namespace Wharf.Integration.Tests;

/// <summary>Published ports (-p, -P, ranges, ephemeral ports), answered on 127.0.0.1, and no leaks after many containers.</summary>
public sealed class PortPublishTests
{
    [Fact]
    public async Task Published_ports_answer_on_loopback_and_show_in_inspect_ps_and_port()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.141.1/24");
        var d = n.D;
        var free = FreePort();
        var run = await d.DockerAsync("run", "-d", "-p", "127.0.0.1::80", "-p", $"{free}-{free + 5}:8080", "--expose", "9000", "-P", "busybox", "sh", "-c", "httpd -p 80 -h /etc; httpd -p 8080 -h /etc; httpd -f -p 9000 -h /etc");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();

        var ports = (await d.GetJsonAsync($"/containers/{id}/json"))["NetworkSettings"]!["Ports"]!;
        var p80 = ports["80/tcp"]!.AsArray().Single()!;
        Assert.Equal("127.0.0.1", p80["HostIp"]!.GetValue<string>());
        var host80 = int.Parse(p80["HostPort"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var host8080 = int.Parse(ports["8080/tcp"]!.AsArray().Single()!["HostPort"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(host8080, free, free + 5);
        Assert.Equal("0.0.0.0", ports["9000/tcp"]!.AsArray().Single()!["HostIp"]!.GetValue<string>());

        Assert.Contains(id[..12], await NetworkTests.HttpGetAsync("127.0.0.1", host80, "/hostname"));
        Assert.Contains(id[..12], await NetworkTests.HttpGetAsync("127.0.0.1", host8080, "/hostname"));
        var port = await d.DockerAsync("port", id, "80");
        Assert.Equal($"127.0.0.1:{host80}", port.Stdout.Trim());
        var ps = await d.DockerAsync("ps", "--format", "{{.Ports}}", "--filter", "id=" + id);
        Assert.Contains($"127.0.0.1:{host80}->80/tcp", ps.Stdout);

        // A second container asking for the same host port fails to start, as in dockerd.
        var clash = await d.DockerAsync("run", "-d", "-p", $"127.0.0.1:{host80}:80", "busybox", "sleep", "30");
        Assert.NotEqual(0, clash.ExitCode);
        Assert.Contains("port is already allocated", clash.Stderr);

        Assert.Equal(0, (await d.DockerAsync("rm", "-f", id)).ExitCode);
        await Assert.ThrowsAnyAsync<SocketException>(async () => await NetworkTests.HttpGetAsync("127.0.0.1", host80, "/hostname"));
    }

    /// <summary>
    /// 200 containers with a TCP and a UDP port, every other one on a user-defined network (with
    /// its embedded DNS server), started and removed through the API: the veths, namespaces,
    /// rules and the daemon's sockets come back to their counts.
    /// </summary>
    [Fact]
    public async Task Many_containers_with_published_ports_leave_no_veth_namespace_rule_or_listener()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.151.1/24");
        var d = n.D;
        var net = "leak-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.152.0/24", "-o", "com.docker.network.bridge.name=wl" + n.Tag, net)).ExitCode);

        // Warm up: the first container makes the chains; the counts start after it.
        Assert.Equal(0, (await d.DockerAsync("run", "--rm", "-p", "127.0.0.1::80", "busybox", "true")).ExitCode);
        var veths = n.BridgePorts().Count;
        var rules = (await n.RulesAsync()).Count;
        var sockets = Sockets(d.Pid);
        const int N = 200;
        for (var i = 0; i < N; i++)
        {
            var body = new System.Text.Json.Nodes.JsonObject
            {
                ["Image"] = "busybox",
                ["Cmd"] = new System.Text.Json.Nodes.JsonArray("httpd", "-f", "-p", "80", "-h", "/etc"),
                ["HostConfig"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["NetworkMode"] = i % 2 == 0 ? "default" : net,
                    ["PortBindings"] = System.Text.Json.Nodes.JsonNode.Parse("""{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":""}],"81/udp":[{"HostIp":"127.0.0.1","HostPort":""}]}"""),
                },
            };
            var (cs, cb) = await d.SendAsync(HttpMethod.Post, "/containers/create", System.Net.Http.Json.JsonContent.Create(body));
            Assert.True(cs == 201, cb);
            var id = System.Text.Json.Nodes.JsonNode.Parse(cb)!["Id"]!.GetValue<string>();
            var (ss, sb) = await d.SendAsync(HttpMethod.Post, $"/containers/{id}/start");
            Assert.True(ss == 204, sb);
            var (ds, db) = await d.SendAsync(HttpMethod.Delete, $"/containers/{id}?force=1");
            Assert.True(ds == 204, db);
        }

        Assert.Equal(veths, n.BridgePorts().Count);
        Assert.Empty(n.Sandboxes());
        Assert.Equal(rules, (await n.RulesAsync()).Count);
        Assert.InRange(Sockets(d.Pid), 0, sockets + 2);
    }

    private static int Sockets(int pid)
        => Directory.GetFiles($"/proc/{pid}/fd").Count(f => { try { return File.ResolveLinkTarget(f, false)?.ToString().StartsWith("socket:", StringComparison.Ordinal) == true; } catch (IOException) { return false; } });

    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var p = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        return p > 65000 ? 40000 + (p % 1000) : p;
    }
}
