namespace Wharf.Networking;

/// <summary>
/// What <c>enable_icc=false</c> needs on the host beyond its rule: bridged traffic passing
/// through iptables (<c>br_netfilter</c>), as dockerd arranges it.
/// </summary>
internal static class BridgeNetfilter
{
    private const string BridgeNfCallIptables = "/proc/sys/net/bridge/bridge-nf-call-iptables";

    /// <summary>Loads br_netfilter if its sysctl is missing and turns the iptables call on, or says why not.</summary>
    public static async Task<string?> EnsureAsync(CancellationToken cancellationToken)
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
