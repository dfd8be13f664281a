namespace Wharf.Networking.Tests;

public sealed class FirewallTests
{
    [Fact]
    public void Every_rule_lives_in_the_daemons_own_chains()
    {
        var f = new Firewall("WHARF-abc123");
        var rules = Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: false, BridgeOptions.Defaults).ToList();
        Assert.All(rules, r => Assert.StartsWith("WHARF-abc123-", r.Chain, StringComparison.Ordinal));
        Assert.Contains(rules, r => r.Table == "nat" && r.Rule.Contains("MASQUERADE") && r.Rule.Contains("10.213.1.0/24"));
        Assert.Contains(rules, r => r.Chain == f.Isolation && string.Join(' ', r.Rule) == "-o br-x -j DROP");
    }

    [Fact]
    public void Internal_networks_are_not_masqueraded_and_drop_traffic_leaving_the_bridge()
    {
        var f = new Firewall("WHARF-abc123");
        var rules = Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: true, BridgeOptions.Defaults).ToList();
        Assert.DoesNotContain(rules, r => r.Table == "nat");
        Assert.Contains(rules, r => string.Join(' ', r.Rule) == "-i br-x ! -o br-x -j DROP");
    }

    [Fact]
    public void Icc_off_drops_bridge_to_bridge_before_the_accept_and_masquerade_off_leaves_no_nat_rule()
    {
        var f = new Firewall("WHARF-abc123");
        var rules = Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: false, BridgeOptions.Defaults with { Icc = false, Masquerade = false }).Select(r => string.Join(' ', r.Rule)).ToList();
        var drop = rules.IndexOf("-i br-x -o br-x -j DROP");
        Assert.True(drop >= 0);
        Assert.True(drop < rules.IndexOf("-i br-x -j ACCEPT"));
        Assert.DoesNotContain(rules, r => r.Contains("MASQUERADE", StringComparison.Ordinal));
        Assert.DoesNotContain(Firewall.RulesFor(f, "br-x", "10.213.1.0/24", isInternal: false, BridgeOptions.Defaults), r => r.Rule.Contains("-o") && r.Rule.Contains("DROP") && r.Chain == f.Forward);
    }

    [Fact]
    public void Chain_names_fit_iptables_limit()
    {
        var f = new Firewall("WHARF-" + NetworkService.DaemonTag("/var/lib/wharf"));
        Assert.All(new[] { f.Post, f.Forward, f.Isolation }, c => Assert.InRange(c.Length, 1, 28));
    }
}
