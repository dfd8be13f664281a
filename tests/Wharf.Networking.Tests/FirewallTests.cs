namespace Wharf.Networking.Tests;

public sealed class FirewallTests
{
    [Fact]
    public void Every_rule_lives_in_the_daemons_own_chains()
    {
        var f = new Firewall("WHARF-abc123");
        var rules = Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: false).ToList();
        Assert.All(rules, r => Assert.StartsWith("WHARF-abc123-", r.Chain, StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Table == "nat" && r.Rule.Contains("MASQUERADE") && r.Rule.Contains("10.213.1.0/24"));
        Assert.Contains(rules, r => r.Chain == f.Isolation && string.Join(' ', r.Rule) == "-o br-x -j DROP");
    }

    [Fact]
    public void Internal_networks_are_not_masqueraded_and_drop_traffic_leaving_the_bridge()
    {
        var f = new Firewall("WHARF-abc123");
        var rules = Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: true).ToList();
        Assert.DoesNotContain(rules, r => r.Table == "nat");
        Assert.Contains(rules, r => string.Join(' ', r.Rule) == "-i br-x ! -o br-x -j DROP");
    }

    [Fact]
    public void Chain_names_fit_iptables_limit()
    {
        var f = new Firewall("WHARF-" + NetworkService.DaemonTag("/var/lib/wharf"));
        Assert.All(new[] { f.Post, f.Forward, f.Isolation }, c => Assert.InRange(c.Length, 1, 28));
    }
}
