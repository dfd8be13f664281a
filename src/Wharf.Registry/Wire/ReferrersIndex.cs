using System.Text.Json.Serialization;

namespace Wharf.Registry.Wire;

/// <summary>The OCI image index the referrers API answers with.</summary>
internal sealed record ReferrersIndex(
    [property: JsonPropertyName("schemaVersion")] int SchemaVersion,
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("manifests")] IReadOnlyList<ReferrerDescriptor> Manifests);
