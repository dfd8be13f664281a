namespace Wharf.Networking;

/// <summary>
/// What a network's options change on the host beyond its rules: the MTU of its veth pairs
/// (<c>com.docker.network.driver.mtu</c>) and, for <c>enable_icc=false</c>, bridged traffic
/// passing through iptables (<c>br_netfilter</c>), as dockerd arranges both.
/// </summary>
internal static class EndpointTuning
{
    private const string BridgeNfCallIptables = "/proc/sys/net/bridge/bridge-nf-call-iptables";

    /// <summary>Both ends of a pair get the MTU; nothing runs for the default 1500.</summary>
    public static async Task SetMtuAsync(string sandbox, string containerInterface, string hostInterface, int mtu, CancellationToken cancellationToken)
    {
        if (mtu == BridgeOptions.DefaultMtu)
        {
            return;
        }

        var value = mtu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HostCommand.IpAsync(cancellationToken, "link", "set", "dev", hostInterface, "mtu", value).ConfigureAwait(false);
        await HostCommand.IpAsync(cancellationToken, "-n", sandbox, "link", "set", "dev", containerInterface, "mtu", value).ConfigureAwait(false);
    }

    /// <summary>Loads br_netfilter if its sysctl is missing and turns the iptables call on, or says why not.</summary>
    public static async Task<string?> EnsureBridgeNetfilterAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(BridgeNfCallIptables))
        {
            await HostCommand.RunAsync("modprobe", ["br_netfilter"], null, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (File.ReadAllText(BridgeNfCallIptables).Trim() != "1")
            {
                File.WriteAllText(BridgeNfCallIptables, "1");
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"enable_icc=false needs br_netfilter ({BridgeNfCallIptables}): {e.Message}";
        }
    }
}
