using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Wharf.Integration.Tests;

/// <summary>
/// Wharf's per-container bandwidth limits (tc tbf on both ends of each bridge endpoint), measured
/// container to container on the test's own network: the limited side sees its limit within 10%.
/// </summary>
public sealed class NetworkRateTests(ITestOutputHelper output)
{
    private const long Limit = 8_000_000;

    /// <summary>What one transfer sends: about three seconds at the limit, so the bucket's burst is lost in the figure.</summary>
    private const int Blocks = 48;

    [Fact]
    public async Task A_limited_container_measures_within_ten_percent_of_its_limit_both_ways()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.191.1/24");
        var d = n.D;
        var net = "net-" + n.Tag;
        var create = await d.DockerAsync("network", "create", "--subnet", "10.213.192.0/24", "-o", "com.docker.network.bridge.name=wu" + n.Tag, net);
        Assert.True(create.ExitCode == 0, create.Stderr);

        // Egress: the sender is limited (wharf run flag); an unlimited peer measures what arrives.
        var egress = await WithinLimitAsync("egress", () => MeasureAsync(d, net, "10.213.192.10", receiverArgs: [], sender: args => d.WharfAsync([.. args[..1], "--network-rate-out", "8mbit", .. args[1..]])));

        // Ingress: the receiver is limited (label through the docker CLI); an unlimited peer sends.
        var ingress = await WithinLimitAsync("ingress", () => MeasureAsync(d, net, "10.213.192.11", receiverArgs: ["--label", "io.wharf.network.rate.ingress=8mbit"], sender: args => d.DockerAsync(args)));

        output.WriteLine($"limit {Limit} bit/s; measured egress {egress:F0} bit/s ({egress / Limit:P1}), ingress {ingress:F0} bit/s ({ingress / Limit:P1})");

        // An unlimited pair is far faster: the limit, not the machine, made the figure.
        var free = await MeasureAsync(d, net, "10.213.192.12", receiverArgs: [], sender: args => d.DockerAsync(args));
        output.WriteLine($"unlimited: {free:F0} bit/s");
        Assert.True(free > Limit * 2, $"unlimited {free} bit/s");
    }

    [Fact]
    public async Task Limits_are_on_every_interface_shown_in_inspect_and_bad_values_are_refused()
    {
        await using var n = await NetworkDaemon.StartAsync("10.213.193.1/24");
        var d = n.D;
        var net = "net-" + n.Tag;
        Assert.Equal(0, (await d.DockerAsync("network", "create", "--subnet", "10.213.194.0/24", "-o", "com.docker.network.bridge.name=wu" + n.Tag, net)).ExitCode);
        var run = await d.DockerAsync("run", "-d", "--label", "io.wharf.network.rate.ingress=2mbit", "--label", "io.wharf.network.rate.egress=4000kbit", "busybox", "sleep", "300");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var id = run.Stdout.Trim();
        var connect = await d.DockerAsync("network", "connect", net, id);
        Assert.True(connect.ExitCode == 0, connect.Stderr);

        var inspect = await d.GetJsonAsync($"/containers/{id}/json");
        Assert.Equal(2_000_000, inspect["HostConfig"]!["WharfNetworkRateIngress"]!.GetValue<long>());
        Assert.Equal(4_000_000, inspect["HostConfig"]!["WharfNetworkRateEgress"]!.GetValue<long>());
        var netns = Path.GetFileName(inspect["NetworkSettings"]!["SandboxKey"]!.GetValue<string>());
        var hostEnds = new List<string>();
        foreach (var ifName in new[] { "eth0", "eth1" })
        {
            var inside = await ProcessRunner.RunAsync("tc", ["-n", netns, "qdisc", "show", "dev", ifName]);
            Assert.Contains("tbf", inside.Stdout);
            Assert.Contains("rate 4Mbit", inside.Stdout);
            var peer = (await d.DockerAsync("exec", id, "cat", $"/sys/class/net/{ifName}/iflink")).Stdout.Trim();
            var hostEnd = NetworkDaemon.LinkByIndex(peer);
            hostEnds.Add(hostEnd);
            var outside = await ProcessRunner.RunAsync("tc", ["qdisc", "show", "dev", hostEnd]);
            Assert.Contains("tbf", outside.Stdout);
            Assert.Contains("rate 2Mbit", outside.Stdout);
        }

        // The qdiscs go with the interfaces.
        Assert.Equal(0, (await d.DockerAsync("rm", "-f", id)).ExitCode);
        Assert.All(hostEnds, h => Assert.False(NetworkDaemon.LinkExists(h)));
        Assert.Empty(n.Sandboxes());

        // The HostConfig fields through the API; the effective values are what inspect shows.
        var body = new JsonObject { ["Image"] = "busybox", ["Cmd"] = new JsonArray("true"), ["HostConfig"] = new JsonObject { ["WharfNetworkRateEgress"] = 5_000_000 } };
        var (status, created) = await d.SendAsync(HttpMethod.Post, "/containers/create", JsonContent.Create(body));
        Assert.True(status == 201, created);
        var cid = JsonNode.Parse(created)!["Id"]!.GetValue<string>();
        var hc = (await d.GetJsonAsync($"/containers/{cid}/json"))["HostConfig"]!.AsObject();
        Assert.Equal(5_000_000, hc["WharfNetworkRateEgress"]!.GetValue<long>());
        Assert.False(hc.ContainsKey("WharfNetworkRateIngress"));
        var cliInspect = await d.DockerAsync("inspect", "-f", "{{.HostConfig.WharfNetworkRateEgress}}", cid);
        Assert.Equal("5000000", cliInspect.Stdout.Trim());
        Assert.Equal(0, (await d.DockerAsync("rm", cid)).ExitCode);

        async Task Refused(JsonObject hostConfig, JsonObject? labels, string message)
        {
            var req = new JsonObject { ["Image"] = "busybox", ["Cmd"] = new JsonArray("true"), ["HostConfig"] = hostConfig, ["Labels"] = labels };
            var (s, b) = await d.SendAsync(HttpMethod.Post, "/containers/create", JsonContent.Create(req));
            Assert.True(s == 400, $"{s} {b}");
            Assert.Contains(message, JsonNode.Parse(b)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await Refused([], new JsonObject { ["io.wharf.network.rate.ingress"] = "fast" }, "invalid value \"fast\" for label io.wharf.network.rate.ingress");
        await Refused([], new JsonObject { ["io.wharf.network.rate.egress"] = "10mbps" }, "invalid value \"10mbps\" for label io.wharf.network.rate.egress");
        await Refused(new JsonObject { ["WharfNetworkRateIngress"] = -1 }, null, "invalid HostConfig.WharfNetworkRateIngress -1");
        await Refused(new JsonObject { ["WharfNetworkRateEgress"] = 10 }, null, "invalid HostConfig.WharfNetworkRateEgress 10");
        await Refused(new JsonObject { ["NetworkMode"] = "host" }, new JsonObject { ["io.wharf.network.rate.egress"] = "2mbit" }, "network rate limits apply to bridge networks only, not to network mode host");
        await Refused(new JsonObject { ["WharfNetworkRateEgress"] = 1_000_000 }, new JsonObject { ["io.wharf.network.rate.egress"] = "2mbit" }, "conflicting network rates");

        var cli = await d.DockerAsync("create", "--label", "io.wharf.network.rate.egress=lots", "busybox");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("invalid value \"lots\" for label io.wharf.network.rate.egress", cli.Stderr);
        var flag = await d.WharfAsync("create", "--network-rate-in", "12parsecs", "busybox");
        Assert.Equal(125, flag.ExitCode);
        Assert.Contains("--network-rate-in", flag.Stderr);
        Assert.Empty((await d.DockerAsync("ps", "-aq")).Stdout.Trim());
    }

    /// <summary>
    /// Measures up to three times and returns the first figure within 10% of the limit. A busy
    /// machine can stall a sender below the limit for a moment (the bucket cannot make up for
    /// more than its burst), so one low figure is measured again; a figure above the limit is
    /// never excused, and three misses fail.
    /// </summary>
    private async Task<double> WithinLimitAsync(string direction, Func<Task<double>> measure)
    {
        var figures = new List<double>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var rate = await measure();
            figures.Add(rate);
            output.WriteLine($"{direction} attempt {attempt + 1}: {rate:F0} bit/s ({rate / Limit:P1})");
            Assert.True(rate <= Limit * 1.1, $"{direction} {rate:F0} bit/s is above the limit {Limit}");
            if (rate >= Limit * 0.9)
            {
                return rate;
            }
        }

        Assert.Fail($"{direction}: no figure within 10% of {Limit} bit/s: {string.Join(", ", figures.Select(f => f.ToString("F0", CultureInfo.InvariantCulture)))}");
        return 0;
    }

    /// <summary>
    /// Starts a receiver at <paramref name="address"/> that times what arrives after its first byte
    /// (by /proc/uptime, 10 ms steps), runs a sender into it, and returns the receiver's rate in bit/s.
    /// </summary>
    private static async Task<double> MeasureAsync(WharfDaemon d, string net, string address, string[] receiverArgs, Func<string[], Task<ProcessResult>> sender)
    {
        // nc -e hands the connection to the timing script (its stdout is the socket, so the figure goes to stderr).
        const string receive = "dd bs=1 count=1 >/dev/null 2>&1; read t0 x < /proc/uptime; n=$(wc -c); read t1 x < /proc/uptime; echo \"rate $n $t0 $t1\" >&2";
        var rx = await d.DockerAsync(["run", "-d", "--network", net, "--ip", address, .. receiverArgs, "busybox", "nc", "-l", "-p", "5001", "-e", "sh", "-c", receive]);
        Assert.True(rx.ExitCode == 0, rx.Stderr);
        var rxId = rx.Stdout.Trim();
        try
        {
            var send = $"for i in $(seq 1 100); do dd if=/dev/zero bs=65536 count={Blocks} 2>/dev/null | nc {address} 5001 && exit 0; sleep 0.1; done; exit 1";
            var tx = await sender(["run", "--rm", "--network", net, "busybox", "sh", "-c", send]);
            Assert.True(tx.ExitCode == 0, tx.Stdout + tx.Stderr);
            var wait = await d.DockerAsync("wait", rxId);
            Assert.Equal("0", wait.Stdout.Trim());
            var line = (await d.DockerAsync("logs", rxId)).Stderr.Split('\n').Single(l => l.StartsWith("rate ", StringComparison.Ordinal)).Split(' ');
            var bytes = long.Parse(line[1], CultureInfo.InvariantCulture);
            var seconds = double.Parse(line[3], CultureInfo.InvariantCulture) - double.Parse(line[2], CultureInfo.InvariantCulture);
            Assert.Equal(Blocks * 65536L - 1, bytes);
            return seconds > 0 ? bytes * 8 / seconds : double.PositiveInfinity;
        }
        finally
        {
            await d.DockerAsync("rm", "-f", rxId);
        }
    }
}
