namespace Wharf.Networking;

/// <summary>The daemon's network settings (dockerd's <c>--bridge</c>, <c>--bip</c>, <c>--iptables</c>, <c>default-address-pools</c>).</summary>
public sealed record NetworkingSettings
{
    /// <summary>Where network records are kept (<c>&lt;data-root&gt;/network</c>).</summary>
    public required string StateRoot { get; init; }

    /// <summary>The default bridge's interface; <c>none</c> means no default bridge network.</summary>
    public string DefaultBridge { get; init; } = "wharf0";

    /// <summary>The default bridge's gateway address and prefix (<c>--bip</c>, e.g. <c>10.213.0.1/24</c>); empty picks a free subnet.</summary>
    public string Bip { get; init; } = "";

    public bool Iptables { get; init; } = true;

    /// <summary><c>--icc</c>: containers on the default bridge may reach each other.</summary>
    public bool Icc { get; init; } = true;

    /// <summary><c>--ip-masq</c>: masquerade of the default bridge's outbound traffic.</summary>
    public bool IpMasquerade { get; init; } = true;

    /// <summary><c>--ip</c>: the host address ports of default-bridge containers are published on when a binding names none.</summary>
    public string DefaultBindingIp { get; init; } = "0.0.0.0";

    /// <summary><c>--mtu</c>: the MTU of the default bridge's interfaces; 0 for 1500.</summary>
    public int Mtu { get; init; }

    /// <summary>What <c>host-gateway</c> in <c>--add-host</c> stands for; empty: the default bridge's gateway.</summary>
    public string HostGatewayIp { get; init; } = "";

    /// <summary>
    /// Prefix of this daemon's own iptables chains (its POSTROUTING, FORWARD and isolation
    /// chains), so several daemons on one host never touch each other's rules (or Docker's).
    /// </summary>
    public string ChainPrefix { get; init; } = "WHARF";

    /// <summary>Prefix of this daemon's network namespace names under /run/netns.</summary>
    public string NetnsPrefix { get; init; } = "wharf-";

    /// <summary>Pools subnets are picked from when a network does not name one: (base CIDR, size of each subnet).</summary>
    public IReadOnlyList<(string Base, int Size)> AddressPools { get; init; } = DefaultPools;

    /// <summary>Docker's local defaults: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s.</summary>
    public static IReadOnlyList<(string Base, int Size)> DefaultPools { get; } = [("172.17.0.0/16", 16), ("172.18.0.0/15", 16), ("172.20.0.0/14", 16), ("172.24.0.0/13", 16), ("192.168.0.0/16", 20)];
}
