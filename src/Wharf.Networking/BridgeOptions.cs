using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wharf.Core.Errors;

namespace Wharf.Networking;

/// <summary>
/// The bridge driver's options Docker documents for <c>docker network create -o</c>, parsed and
/// validated as dockerd does (Go's <c>strconv.ParseBool</c>/<c>Atoi</c> spellings, its
/// "failed to parse" message, 400): inter-container traffic, masquerade, the default host
/// address of published ports and the MTU of the network's interfaces.
/// </summary>
internal sealed record BridgeOptions(bool Icc, bool Masquerade, string BindingIp, int Mtu)
{
    public const string EnableIcc = "com.docker.network.bridge.enable_icc";
    public const string EnableIpMasquerade = "com.docker.network.bridge.enable_ip_masquerade";
    public const string HostBindingIpv4 = "com.docker.network.bridge.host_binding_ipv4";
    public const string DriverMtu = "com.docker.network.driver.mtu";

    /// <summary>The kernel's Ethernet default, which a new veth has; an MTU of 0 means this, and only another one is set on the pair.</summary>
    public const int DefaultMtu = 1500;

    public static BridgeOptions Defaults { get; } = new(true, true, "0.0.0.0", DefaultMtu);

    /// <summary>The options of a network, over <paramref name="defaults"/> for those not given.</summary>
    public static BridgeOptions Parse(IReadOnlyDictionary<string, string> options, BridgeOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = defaults;
        if (options.TryGetValue(EnableIcc, out var icc))
        {
            result = result with { Icc = ParseBool(EnableIcc, icc) };
        }

        if (options.TryGetValue(EnableIpMasquerade, out var masq))
        {
            result = result with { Masquerade = ParseBool(EnableIpMasquerade, masq) };
        }

        if (options.TryGetValue(HostBindingIpv4, out var ip))
        {
            result = result with { BindingIp = ParseBindingIp(HostBindingIpv4, ip) };
        }

        if (options.TryGetValue(DriverMtu, out var mtu))
        {
            result = result with { Mtu = ParseMtu(DriverMtu, mtu) };
        }

        return result;
    }

    /// <summary>Go's <c>strconv.ParseBool</c>: 1, t, T, TRUE, true, True and their false twins.</summary>
    public static bool ParseBool(string label, string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw ParseError(label, value, $"strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };

    /// <summary>An MTU: 0 for the default, else 68 (IPv4's minimum) to 65535.</summary>
    public static int ParseMtu(string label, string value)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var mtu))
        {
            throw ParseError(label, value, $"strconv.Atoi: parsing \"{value}\": invalid syntax");
        }

        if (mtu == 0)
        {
            return DefaultMtu;
        }

        return mtu is < 68 or > 65535 ? throw WharfException.Invalid($"invalid MTU number: {mtu}") : mtu;
    }

    /// <summary>An IPv4 address in dotted form, the only kind this daemon publishes ports on.</summary>
    public static string ParseBindingIp(string label, string value)
        => IPAddress.TryParse(value, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') == 3
            ? ip.ToString()
            : throw ParseError(label, value, "nil ip");

    private static WharfException ParseError(string label, string value, string detail)
        => WharfException.Invalid($"failed to parse {label} value: {value} ({detail})");
}
