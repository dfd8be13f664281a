using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>A terminal size (<c>process.consoleSize</c>).</summary>
public sealed record Box
{
    [JsonPropertyName("height")]
    public uint Height { get; init; }

    [JsonPropertyName("width")]
    public uint Width { get; init; }
}
