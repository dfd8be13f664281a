using System.Text.Json.Serialization;

namespace Wharf.Api.Common;

/// <summary>The <c>aux</c> object closing each pushed tag in the push stream (moby's types.PushResult).</summary>
public sealed record PushResultAux
{
    [JsonPropertyName("Tag")]
    public required string Tag { get; init; }

    [JsonPropertyName("Digest")]
    public required string Digest { get; init; }

    [JsonPropertyName("Size")]
    public int Size { get; init; }
}
