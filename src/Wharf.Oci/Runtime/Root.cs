using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>The container's root filesystem (<c>root</c>).</summary>
public sealed record Root
{
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    [JsonPropertyName("readonly")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Readonly { get; init; }
}
