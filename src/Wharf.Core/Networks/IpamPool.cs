namespace Wharf.Core.Networks;

/// <summary>One IPAM config entry of a network: CIDR subnet, gateway and the range containers get addresses from.</summary>
public sealed record IpamPool
{
    public required string Subnet { get; init; }

    public string Gateway { get; init; } = "";

    public string IpRange { get; init; } = "";

    /// <summary>Whether the user gave the subnet (inspect shows it as given) or the daemon picked it.</summary>
    public bool UserGiven { get; init; }
}
