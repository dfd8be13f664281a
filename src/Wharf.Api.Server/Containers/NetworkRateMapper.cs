using Wharf.Api.Containers;
using Wharf.Core.Errors;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// Wharf's bandwidth limits at create: the HostConfig fields (bits per second) or the
/// <c>io.wharf.network.rate.*</c> labels any Docker client can send. The HostConfig that is
/// stored (and shown by inspect) carries the effective values, wherever they came from.
/// </summary>
internal static class NetworkRateMapper
{
    public static HostConfig Resolve(HostConfig hc, IReadOnlyDictionary<string, string>? labels)
    {
        var ingress = Effective(hc.WharfNetworkRateIngress, "WharfNetworkRateIngress", labels, NetworkRate.IngressLabel);
        var egress = Effective(hc.WharfNetworkRateEgress, "WharfNetworkRateEgress", labels, NetworkRate.EgressLabel);
        if ((ingress > 0 || egress > 0) && (hc.NetworkMode is "host" or "none" || (hc.NetworkMode ?? "").StartsWith("container:", StringComparison.Ordinal)))
        {
            throw WharfException.Invalid($"network rate limits apply to bridge networks only, not to network mode {hc.NetworkMode}");
        }

        return hc with { WharfNetworkRateIngress = ingress > 0 ? ingress : null, WharfNetworkRateEgress = egress > 0 ? egress : null };
    }

    private static long Effective(long? field, string fieldName, IReadOnlyDictionary<string, string>? labels, string label)
    {
        var fromField = field ?? 0;
        if (fromField != 0 && !NetworkRate.IsValid(fromField))
        {
            throw WharfException.Invalid($"invalid HostConfig.{fieldName} {fromField}: {NetworkRate.Syntax}");
        }

        if (labels?.GetValueOrDefault(label) is not { } text)
        {
            return fromField;
        }

        if (!NetworkRate.TryParse(text, out var fromLabel))
        {
            throw WharfException.Invalid($"invalid value \"{text}\" for label {label}: {NetworkRate.Syntax}");
        }

        if (fromField != 0 && fromLabel != fromField)
        {
            throw WharfException.Invalid($"conflicting network rates: label {label}={text} and HostConfig.{fieldName}={fromField}");
        }

        return fromField != 0 ? fromField : fromLabel;
    }
}
