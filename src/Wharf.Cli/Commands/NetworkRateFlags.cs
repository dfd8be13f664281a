using System.Text.Json.Nodes;
using Wharf.Api.Containers;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>run</c>/<c>create</c> bandwidth limits (a Wharf extension): sent as HostConfig.WharfNetworkRateIngress/Egress in bits per second.</summary>
internal static class NetworkRateFlags
{
    public static readonly FlagSpec[] Flags =
    [
        FlagSpec.String("network-rate-in", null, "Limit the rate of traffic into the container on each bridge network (e.g. 10mbit, 512kbit, or bits per second)", "rate"),
        FlagSpec.String("network-rate-out", null, "Limit the rate of traffic out of the container on each bridge network (e.g. 10mbit, 512kbit, or bits per second)", "rate"),
    ];

    public static void Apply(ParsedFlags f, JsonObject host)
    {
        Set(host, "WharfNetworkRateIngress", f.String("network-rate-in"), "--network-rate-in");
        Set(host, "WharfNetworkRateEgress", f.String("network-rate-out"), "--network-rate-out");
    }

    private static void Set(JsonObject host, string key, string? value, string flag)
    {
        if (value is null)
        {
            return;
        }

        if (!NetworkRate.TryParse(value, out var bits))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"{flag}\" flag: {NetworkRate.Syntax}");
        }

        if (bits > 0)
        {
            host[key] = bits;
        }
    }
}
