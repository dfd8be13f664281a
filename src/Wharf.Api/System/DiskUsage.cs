using System.Text.Json.Serialization;
using Wharf.Api.Images;

namespace Wharf.Api.System;

public sealed record DiskUsage
{
    [JsonPropertyName("LayersSize")]
    public long LayersSize { get; init; }

    [JsonPropertyName("Images")]
    public IReadOnlyList<ImageSummary>? Images { get; init; }

    [JsonPropertyName("Containers")]
    public IReadOnlyList<Wharf.Api.Containers.ContainerSummary>? Containers { get; init; }

    [JsonPropertyName("Volumes")]
    public IReadOnlyList<Wharf.Api.Volumes.Volume>? Volumes { get; init; }

    [JsonPropertyName("BuildCache")]
    public IReadOnlyList<BuildCacheEntry>? BuildCache { get; init; }

    [JsonPropertyName("BuilderSize")]
    public long BuilderSize { get; init; }
}
