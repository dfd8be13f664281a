namespace Wharf.Core.Networks;

/// <summary>
/// A network as the engine keeps it. The predefined <c>bridge</c>, <c>host</c> and <c>none</c>
/// networks are records too (<see cref="Predefined"/>), made by the daemon, never removable.
/// </summary>
public sealed record NetworkRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>bridge</c>, <c>host</c> or <c>null</c> (Docker's driver of the <c>none</c> network).</summary>
    public required string Driver { get; init; }

    public required DateTimeOffset Created { get; init; }

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public bool EnableIPv6 { get; init; }

    public bool Predefined { get; init; }

    public IReadOnlyList<IpamPool> Ipam { get; init; } = [];

    public IReadOnlyDictionary<string, string>? IpamOptions { get; init; }

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The Linux bridge of a bridge network (<c>br-</c> and the first 12 of the ID unless an option names it).</summary>
    public string BridgeName { get; init; } = "";

    /// <summary>The option naming the network's interfaces in containers (<c>eth</c> when absent).</summary>
    public const string InterfacePrefixOption = "com.docker.network.container_iface_prefix";

    /// <summary>
    /// The name prefix of the network's interfaces in a container: the network's
    /// <see cref="InterfacePrefixOption"/> when it is a usable start of a Linux interface name
    /// (letters, digits, <c>_</c> and <c>-</c>, at most 12, leaving room for the count), else <c>eth</c>.
    /// </summary>
    [global::System.Text.Json.Serialization.JsonIgnore]
    public string InterfacePrefix
        => Options.TryGetValue(InterfacePrefixOption, out var p) && IsInterfacePrefix(p) ? p : "eth";

    public static bool IsInterfacePrefix(string prefix)
        => prefix.Length is > 0 and <= 12 && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>Whether containers on the network get the embedded DNS server: user-defined bridge networks, as in Docker.</summary>
    [global::System.Text.Json.Serialization.JsonIgnore]
    public bool HasEmbeddedDns => Driver == "bridge" && !Predefined;
}
