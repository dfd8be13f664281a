namespace Wharf.Networking;

/// <summary>
/// This daemon's iptables rules, all inside its own chains (named after
/// <see cref="NetworkingSettings.ChainPrefix"/>): <c>P-POST</c> (nat, masquerade of outbound
/// traffic), <c>P-FWD</c> (filter, what may be forwarded to and from its bridges) and
/// <c>P-ISO</c> (filter, no forwarding between two of its networks). The built-in chains only
/// get one jump each. Nothing else on the host is touched.
/// </summary>
internal sealed class Firewall(string prefix)
{
    public string Post => prefix + "-POST";

    public string Forward => prefix + "-FWD";

    public string Isolation => prefix + "-ISO";

    /// <summary>Creates the chains and the jumps into them (idempotent).</summary>
    public async Task EnsureChainsAsync(CancellationToken cancellationToken)
    {
        await EnsureChainAsync("nat", Post, cancellationToken).ConfigureAwait(false);
        await EnsureChainAsync("filter", Forward, cancellationToken).ConfigureAwait(false);
        await EnsureChainAsync("filter", Isolation, cancellationToken).ConfigureAwait(false);
        await EnsureRuleAsync("nat", "POSTROUTING", ["-j", Post], insert: false, cancellationToken).ConfigureAwait(false);
        await EnsureRuleAsync("filter", "FORWARD", ["-j", Forward], insert: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rules of one bridge network.</summary>
    public static IEnumerable<(string Table, string Chain, string[] Rule)> RulesFor(Firewall f, string bridge, string subnet, bool isInternal, BridgeOptions options)
    {
        yield return ("filter", f.Isolation, ["-o", bridge, "-j", "DROP"]);
        if (!options.Icc)
        {
            // enable_icc=false: containers of this network do not reach each other.
            yield return ("filter", f.Forward, ["-i", bridge, "-o", bridge, "-j", "DROP"]);
        }

        if (isInternal)
        {
            yield return ("filter", f.Forward, ["-i", bridge, "!", "-o", bridge, "-j", "DROP"]);
            yield return ("filter", f.Forward, ["-o", bridge, "!", "-i", bridge, "-j", "DROP"]);
            yield break;
        }

        yield return ("filter", f.Forward, ["-i", bridge, "!", "-o", bridge, "-j", f.Isolation]);
        yield return ("filter", f.Forward, ["-i", bridge, "-j", "ACCEPT"]);
        yield return ("filter", f.Forward, ["-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"]);
        if (options.Masquerade)
        {
            yield return ("nat", f.Post, ["-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"]);
        }
    }

    public async Task AddNetworkAsync(string bridge, string subnet, bool isInternal, BridgeOptions options, CancellationToken cancellationToken)
    {
        foreach (var (table, chain, rule) in RulesFor(this, bridge, subnet, isInternal, options))
        {
            // Isolation drops go first so that a bridge's own ACCEPT never precedes them.
            await EnsureRuleAsync(table, chain, rule, insert: chain == Isolation, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveNetworkAsync(string bridge, string subnet, bool isInternal, BridgeOptions options, CancellationToken cancellationToken)
    {
        foreach (var (table, chain, rule) in RulesFor(this, bridge, subnet, isInternal, options))
        {
            await DeleteRuleAsync(table, chain, rule, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists this daemon's rules (<c>iptables -S</c> of its chains), for reconciliation and leak counts.</summary>
    public async Task<IReadOnlyList<string>> ListRulesAsync(CancellationToken cancellationToken)
    {
        var rules = new List<string>();
        foreach (var (table, chain) in new[] { ("nat", Post), ("filter", Forward), ("filter", Isolation) })
        {
            var (code, stdout, _) = await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-S", chain], null, cancellationToken).ConfigureAwait(false);
            if (code == 0)
            {
                rules.AddRange(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("-A ", StringComparison.Ordinal)));
            }
        }

        return rules;
    }

    /// <summary>Empties this daemon's chains (a restart rebuilds them from the networks it has).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (table, chain) in new[] { ("nat", Post), ("filter", Forward), ("filter", Isolation) })
        {
            await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-F", chain], null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the jumps and the chains themselves (when the daemon has no bridge network left).</summary>
    public async Task RemoveChainsAsync(CancellationToken cancellationToken)
    {
        await DeleteRuleAsync("nat", "POSTROUTING", ["-j", Post], cancellationToken).ConfigureAwait(false);
        await DeleteRuleAsync("filter", "FORWARD", ["-j", Forward], cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (table, chain) in new[] { ("nat", Post), ("filter", Forward), ("filter", Isolation) })
        {
            await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-X", chain], null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureChainAsync(string table, string chain, CancellationToken cancellationToken)
    {
        var (code, _, _) = await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-n", "-L", chain], null, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            await HostCommand.CheckAsync("iptables", ["-w", "-t", table, "-N", chain], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureRuleAsync(string table, string chain, string[] rule, bool insert, CancellationToken cancellationToken)
    {
        var (code, _, _) = await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-C", chain, .. rule], null, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            await HostCommand.CheckAsync("iptables", ["-w", "-t", table, insert ? "-I" : "-A", chain, .. rule], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DeleteRuleAsync(string table, string chain, string[] rule, CancellationToken cancellationToken)
    {
        // Delete every copy (a daemon killed mid-way may have added one twice).
        for (var i = 0; i < 8; i++)
        {
            var (code, _, _) = await HostCommand.RunAsync("iptables", ["-w", "-t", table, "-D", chain, .. rule], null, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                return;
            }
        }
    }
}
