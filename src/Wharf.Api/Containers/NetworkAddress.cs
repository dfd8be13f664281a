using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>An address with its prefix length (<c>SecondaryIPAddresses</c>).</summary>
public sealed record NetworkAddress
{
    [JsonPropertyName("Addr")]
    public string Addr { get; init; } = "";

    [JsonPropertyName("PrefixLen")]
    public int PrefixLen { get; init; }
}
