namespace Wharf.Core.Build;

/// <summary>One entry of the layer cache: a step's key and the image it produced.</summary>
public sealed record BuildCacheRecord
{
    public required string Id { get; init; }

    public required string ImageId { get; init; }

    public required string Description { get; init; }

    /// <summary><c>regular</c> for steps, <c>exec.cachemount</c> for <c>RUN --mount=type=cache</c> directories (BuildKit's names).</summary>
    public string Type { get; init; } = "regular";

    public long Size { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public int UsageCount { get; init; }
}
