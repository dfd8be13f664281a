using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>The numeric identity the process runs as (<c>process.user</c>).</summary>
public sealed record User
{
    [JsonPropertyName("uid")]
    public uint Uid { get; init; }

    [JsonPropertyName("gid")]
    public uint Gid { get; init; }

    [JsonPropertyName("umask")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Umask { get; init; }

    [JsonPropertyName("additionalGids")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}
