using System.Globalization;
using Wharf.Api.Volumes;
using Wharf.Core.Volumes;

namespace Wharf.Api.Server.Volumes;

/// <summary>Volume records ⇄ Docker's wire shapes.</summary>
internal static class VolumeMapper
{
    public static Volume ToWire(VolumeRecord v) => new()
    {
        CreatedAt = FormatTime(v.CreatedAt),
        Driver = v.Driver,
        Labels = Sorted(v.Labels),
        Mountpoint = v.Mountpoint,
        Name = v.Name,
        Options = Sorted(v.Options),
        Scope = v.Scope,
    };

    /// <summary>Go writes map keys sorted; so does the wire.</summary>
    private static SortedDictionary<string, string>? Sorted(IReadOnlyDictionary<string, string>? map)
        => map is null ? null : new SortedDictionary<string, string>(map.ToDictionary(), StringComparer.Ordinal);

    public static Volume ToWire(VolumeUsage u) => ToWire(u.Volume) with
    {
        UsageData = new VolumeUsageData { RefCount = u.RefCount, Size = u.Size },
    };

    public static Core.Volumes.VolumeCreateRequest ToCore(Api.Volumes.VolumeCreateRequest? req) => new()
    {
        Name = req?.Name ?? "",
        Driver = req?.Driver ?? "",
        Options = req?.DriverOpts,
        Labels = req?.Labels,
    };

    /// <summary>Go's RFC 3339 in the daemon's local zone, to the second ("Z" for UTC), as dockerd writes CreatedAt.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var offset = local.Offset;
        return offset == TimeSpan.Zero
            ? text + "Z"
            : text + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }
}
