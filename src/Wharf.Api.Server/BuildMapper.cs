using Wharf.Api.System;
using Wharf.Core.Build;

namespace Wharf.Api.Server;

internal static class BuildMapper
{
    public static BuildCacheEntry ToWire(BuildCacheRecord rec) => new()
    {
        Id = rec.Id[..Math.Min(25, rec.Id.Length)],
        Type = rec.Type,
        Description = rec.Description,
        Size = rec.Size,
        CreatedAt = rec.CreatedAt,
        LastUsedAt = rec.LastUsedAt,
        UsageCount = rec.UsageCount,
    };
}
