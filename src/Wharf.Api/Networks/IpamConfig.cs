using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>One IPAM pool; empty fields are omitted, as Go's omitempty does.</summary>
public sealed record IpamConfig
{
    [JsonPropertyName("Subnet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subnet { get; init; }

    [JsonPropertyName("IPRange")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IpRange { get; init; }

    [JsonPropertyName("Gateway")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Gateway { get; init; }

    [JsonPropertyName("AuxiliaryAddresses")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? AuxiliaryAddresses { get; init; }
}
