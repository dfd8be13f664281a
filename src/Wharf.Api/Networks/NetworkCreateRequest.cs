using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>Body of <c>POST /networks/create</c>.</summary>
public sealed record NetworkCreateRequest
{
    [JsonPropertyName("Name")]
    public string? Name { get; init; }

    /// <summary>Ignored: the daemon always refuses a taken name (API 1.44+ behaviour).</summary>
    [JsonPropertyName("CheckDuplicate")]
    public bool? CheckDuplicate { get; init; }

    [JsonPropertyName("Driver")]
    public string? Driver { get; init; }

    [JsonPropertyName("Scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("Internal")]
    public bool Internal { get; init; }

    [JsonPropertyName("Attachable")]
    public bool Attachable { get; init; }

    [JsonPropertyName("Ingress")]
    public bool Ingress { get; init; }

    [JsonPropertyName("ConfigOnly")]
    public bool ConfigOnly { get; init; }

    [JsonPropertyName("EnableIPv6")]
    public bool? EnableIPv6 { get; init; }

    [JsonPropertyName("IPAM")]
    public Ipam? Ipam { get; init; }

    [JsonPropertyName("Options")]
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
