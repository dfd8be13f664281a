using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Networking;

/// <summary>
/// Bandwidth limits of a container's endpoint with the kernel's traffic control: a token bucket
/// (tc <c>tbf</c>) as the root qdisc of the container's interface inside its namespace shapes
/// what the container sends; one on the host end of the veth pair shapes what it receives.
/// Both vanish with the veth pair. (Ingress policing is not used: it needs act_police, which
/// hosts do not always have.)
/// </summary>
internal static class TrafficShaper
{
    /// <summary>The bucket holds at least this much (bytes): a few full-size frames, also with GSO off.</summary>
    private const long MinimumBurst = 16 * 1024;

    /// <summary>The bucket holds at most this much (bytes), however high the rate.</summary>
    private const long MaximumBurst = 32 * 1024 * 1024;

    /// <summary>How long a packet may wait in the bucket's queue before it is dropped.</summary>
    private const int LatencyMilliseconds = 50;

    /// <summary>Applies the limits; 0 leaves a direction alone.</summary>
    public static async Task ApplyAsync(string netns, string containerInterface, string hostInterface, long ingressBitsPerSecond, long egressBitsPerSecond, CancellationToken cancellationToken)
    {
        if (egressBitsPerSecond > 0)
        {
            await TcAsync(["-n", netns, .. TbfArgs(containerInterface, egressBitsPerSecond)], cancellationToken).ConfigureAwait(false);
        }

        if (ingressBitsPerSecond > 0)
        {
            await TcAsync(TbfArgs(hostInterface, ingressBitsPerSecond), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>qdisc replace dev X root tbf rate R burst B latency L</c> (replace: applying twice is harmless).</summary>
    internal static string[] TbfArgs(string device, long bitsPerSecond)
        => ["qdisc", "replace", "dev", device, "root", "tbf",
            "rate", bitsPerSecond.ToString(CultureInfo.InvariantCulture) + "bit",
            "burst", Burst(bitsPerSecond).ToString(CultureInfo.InvariantCulture),
            "latency", LatencyMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms"];

    /// <summary>Bucket size in bytes: 10 ms worth of the rate, between <see cref="MinimumBurst"/> and <see cref="MaximumBurst"/>. Small, so a measurement over a few seconds sees the rate, not the burst.</summary>
    internal static long Burst(long bitsPerSecond) => Math.Clamp(bitsPerSecond / 8 / 100, MinimumBurst, MaximumBurst);

    private static async Task TcAsync(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            await HostCommand.CheckAsync("tc", args, cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new WharfException(ErrorKind.Internal, $"network rate limits need tc (iproute2): {e.Message}");
        }
    }
}
