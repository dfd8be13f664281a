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

    /// <summary>Whether containers on the network get the embedded DNS server: user-defined bridge networks, as in Docker.</summary>
    [global::System.Text.Json.Serialization.JsonIgnore]
    public bool HasEmbeddedDns => Driver == "bridge" && !Predefined;
}
