namespace Wharf.Core.Build;

/// <summary>One entry of the layer cache: a step's key and the image it produced.</summary>
public sealed record BuildCacheRecord
{
    public required string Id { get; init; }

    public required string ImageId { get; init; }

    public required string Description { get; init; }

    public long Size { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public int UsageCount { get; init; }
}
