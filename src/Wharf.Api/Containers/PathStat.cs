using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>
/// The <c>X-Docker-Container-Path-Stat</c> header of the archive endpoints (base64 of this
/// JSON). <see cref="Mode"/> is Go's os.FileMode; <see cref="Mtime"/> is RFC 3339 with
/// Go's trimmed fraction ("2026-11-22T09:24:17.115731Z").
/// </summary>
public sealed record PathStat
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("mode")]
    public uint Mode { get; init; }

    [JsonPropertyName("mtime")]
    public string Mtime { get; init; } = "";

    [JsonPropertyName("linkTarget")]
    public string LinkTarget { get; init; } = "";
}
