using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// A wharfd with its own default bridge (a unique name ≤ 15 characters and a subnet of
/// 10.213.0.0/16 given by the test) and busybox. Disposal stops it and removes whatever it left
/// on the host: its bridges, its network namespaces and its iptables chains, also on failure.
/// </summary>
internal sealed class NetworkDaemon : IAsyncDisposable
{
    private NetworkDaemon(WharfDaemon d, string bridge, string tag)
    {
        D = d;
        Bridge = bridge;
        Tag = tag;
    }

    public WharfDaemon D { get; }

    /// <summary>The default bridge's name (<c>wt</c> and random hex).</summary>
    public string Bridge { get; }

    /// <summary>Random hex for names the test makes (networks, containers, user bridges).</summary>
    public string Tag { get; }

    public string ChainPrefix => "WHARF-" + DaemonTag();

    public string NetnsPrefix => "wharf-" + DaemonTag() + "-";

    public static async Task<NetworkDaemon> StartAsync(string bip, string? bridge = null, bool iptables = true, Action<JsonObject>? config = null)
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        bridge ??= "wt" + tag;
        var d = await WharfDaemon.StartWithConfigAsync(cg =>
        {
            var json = new JsonObject
            {
                ["cgroup-parent"] = cg,
                ["bridge"] = bridge,
                ["bip"] = bip,
                ["iptables"] = iptables,
            };
            config?.Invoke(json);
            return json.ToJsonString();
        });
        var n = new NetworkDaemon(d, bridge, tag);
        await d.ImportAsync(Tars.Busybox("net-" + tag), "busybox", "latest", "CMD [\"sh\"]");
        return n;
    }

    /// <summary>
    /// The interfaces on this daemon's bridges (its default bridge and every bridge whose name
    /// carries <see cref="Tag"/>): a leaked veth stays on its bridge, and veths of other tests or
    /// engines running at the same time are not counted.
    /// </summary>
    public IReadOnlyList<string> BridgePorts()
        => [.. Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).OfType<string>()
            .Where(b => b == Bridge || b.EndsWith(Tag, StringComparison.Ordinal))
            .Where(b => Directory.Exists($"/sys/class/net/{b}/brif"))
            .SelectMany(b => Directory.GetFileSystemEntries($"/sys/class/net/{b}/brif"))];

    public IReadOnlyList<string> Sandboxes()
        => Directory.Exists("/run/netns") ? [.. Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(NetnsPrefix, StringComparison.Ordinal))] : [];

    /// <summary>This daemon's iptables lines (chains, rules and jumps naming its prefix), in both tables.</summary>
    public async Task<IReadOnlyList<string>> RulesAsync()
    {
        var lines = new List<string>();
        foreach (var table in new[] { "filter", "nat" })
        {
            var r = await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-S"]);
            lines.AddRange(r.Stdout.Split('\n').Where(l => l.Contains(ChainPrefix, StringComparison.Ordinal)));
        }

        return lines;
    }

    public static bool LinkExists(string name) => Directory.Exists("/sys/class/net/" + name);

    /// <summary>The host link with this interface index. Links of parallel tests come and go while the folder is read, so a vanished one is skipped.</summary>
    public static string LinkByIndex(string index)
    {
        foreach (var dir in Directory.GetDirectories("/sys/class/net"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "ifindex")).Trim() == index)
                {
                    return Path.GetFileName(dir);
                }
            }
            catch (IOException)
            {
            }
        }

        throw new InvalidOperationException($"no host link has index {index}");
    }

    private string DaemonTag()
        => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(D.DataRoot))))[..6];

    public async ValueTask DisposeAsync()
    {
        var prefix = ChainPrefix;
        var netns = NetnsPrefix;
        await D.DisposeAsync();
        foreach (var ns in Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(netns, StringComparison.Ordinal)) : [])
        {
            await ProcessRunner.RunAsync("ip", ["netns", "delete", ns]);
        }

        foreach (var link in Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).OfType<string>().Where(l => l.Contains(Tag, StringComparison.Ordinal) || l == Bridge))
        {
            await ProcessRunner.RunAsync("ip", ["link", "del", link]);
        }

        foreach (var table in new[] { "filter", "nat" })
        {
            var rules = (await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-S"])).Stdout.Split('\n');
            foreach (var rule in rules.Where(l => l.StartsWith("-A ", StringComparison.Ordinal) && l.Contains("-j " + prefix, StringComparison.Ordinal) && !l.StartsWith("-A " + prefix, StringComparison.Ordinal)))
            {
                await ProcessRunner.RunAsync("sh", ["-c", $"iptables -w -t {table} -D {rule[3..]}"]);
            }

            foreach (var chain in rules.Where(l => l.StartsWith("-N " + prefix, StringComparison.Ordinal)).Select(l => l[3..]))
            {
                await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-F", chain]);
                await ProcessRunner.RunAsync("iptables", ["-w", "-t", table, "-X", chain]);
            }
        }
    }
}
