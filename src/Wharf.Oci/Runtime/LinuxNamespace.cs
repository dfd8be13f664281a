using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>
/// A namespace the container gets (<c>linux.namespaces[]</c>): a new one when
/// <see cref="Path"/> is null, else the one at that path (e.g. <c>/proc/123/ns/net</c>).
/// </summary>
public sealed record LinuxNamespace
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }
}
