using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>A network (<c>GET /networks/{id}</c> and list entries), in dockerd's field order.</summary>
public sealed record Network
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("Id")]
    public string Id { get; init; } = "";

    [JsonPropertyName("Created")]
    public string Created { get; init; } = "";

    [JsonPropertyName("Scope")]
    public string Scope { get; init; } = "local";

    [JsonPropertyName("Driver")]
    public string Driver { get; init; } = "";

    [JsonPropertyName("EnableIPv6")]
    public bool EnableIPv6 { get; init; }

    [JsonPropertyName("IPAM")]
    public Ipam Ipam { get; init; } = new();

    [JsonPropertyName("Internal")]
    public bool Internal { get; init; }

    [JsonPropertyName("Attachable")]
    public bool Attachable { get; init; }

    [JsonPropertyName("Ingress")]
    public bool Ingress { get; init; }

    [JsonPropertyName("ConfigFrom")]
    public ConfigReference ConfigFrom { get; init; } = new();

    [JsonPropertyName("ConfigOnly")]
    public bool ConfigOnly { get; init; }

    [JsonPropertyName("Containers")]
    public IReadOnlyDictionary<string, NetworkContainer> Containers { get; init; } = new Dictionary<string, NetworkContainer>();

    [JsonPropertyName("Options")]
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
