using System.Globalization;
using Wharf.Api.Images;
using Wharf.Core.Images;
using Wharf.Oci.Image;

namespace Wharf.Api.Server;

/// <summary>Domain → Docker wire shapes for images (golden-checked against dockerd 20.10).</summary>
internal static class ImageMapper
{
    public static ImageSummary ToSummary(ImageView v, int containers, long sharedSize) => new()
    {
        Containers = containers,
        Created = v.Image.Created.ToUnixTimeSeconds(),
        Id = v.Image.Id.Value,
        Labels = v.Image.Config.Config?.Labels,
        ParentId = v.Image.Parent?.Value ?? "",
        RepoDigests = v.RepoDigests.Count == 0 ? null : v.RepoDigests,
        RepoTags = v.RepoTags.Count == 0 ? null : v.RepoTags,
        SharedSize = sharedSize,
        Size = v.Image.Size,
        VirtualSize = v.Image.Size,
    };

    public static ImageInspect ToInspect(ImageView v)
    {
        var c = v.Image.Config;
        return new ImageInspect
        {
            Id = v.Image.Id.Value,
            RepoTags = v.RepoTags,
            RepoDigests = v.RepoDigests,
            Parent = v.Image.Parent?.Value ?? "",
            // Docker falls back to the newest history entry's comment (commit -m lands there).
            Comment = c.Comment ?? (c.History is [.., var newest] ? newest.Comment : null) ?? "",
            Created = FormatTime(v.Image.Created),
            Container = c.Container ?? "",
            ContainerConfig = c.ContainerConfig ?? new ContainerConfig(),
            DockerVersion = c.DockerVersion ?? "",
            Author = c.Author ?? "",
            Config = c.Config,
            Architecture = c.Architecture,
            Variant = c.Variant,
            Os = c.Os,
            Size = v.Image.Size,
            VirtualSize = v.Image.Size,
            GraphDriver = new GraphDriverData { Name = v.DriverName, Data = v.DriverData },
            RootFs = new RootFsInfo { Type = c.RootFs.Type, Layers = [.. v.Image.DiffIds.Select(d => d.Value)] },
            Metadata = new ImageMetadata { LastTagTime = v.Image.LastTagTime is { } t ? FormatTime(t) : "0001-01-01T00:00:00Z" },
        };
    }

    public static HistoryResponseItem ToHistory(ImageHistoryItem h) => new()
    {
        Comment = h.Comment,
        Created = h.Created.ToUnixTimeSeconds(),
        CreatedBy = h.CreatedBy,
        Id = h.Id,
        Size = h.Size,
        Tags = h.Tags.Count == 0 ? null : h.Tags,
    };

    public static ImageDeleteResponseItem ToDelete(ImageDeleteItem d) => new() { Untagged = d.Untagged, Deleted = d.Deleted };

    /// <summary>RFC 3339 with nanosecond digits and Z, as Go marshals UTC times.</summary>
    public static string FormatTime(DateTimeOffset t)
        => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}
