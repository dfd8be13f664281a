using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

/// <summary>The <c>oci-layout</c> marker file of an OCI image layout.</summary>
public sealed record ImageLayout
{
    [JsonPropertyName("imageLayoutVersion")]
    public string ImageLayoutVersion { get; init; } = "1.0.0";
}
