namespace Wharf.Core.Networks;

/// <summary>A validated <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateRequest
{
    public required string Name { get; init; }

    /// <summary>Empty means <c>bridge</c>.</summary>
    public string Driver { get; init; } = "";

    public bool Internal { get; init; }

    public bool Attachable { get; init; }

    public bool EnableIPv6 { get; init; }

    public string IpamDriver { get; init; } = "";

    public IReadOnlyList<IpamPool> Ipam { get; init; } = [];

    public IReadOnlyDictionary<string, string>? IpamOptions { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
