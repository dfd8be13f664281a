using Wharf.Core.Errors;
using Wharf.Core.Snapshots;

namespace Wharf.Snapshots;

/// <summary>Chooses the snapshotter for a data root, as dockerd picks its storage driver.</summary>
public static class SnapshotterFactory
{
    /// <summary>
    /// Overlay when <paramref name="driver"/> asks for it or, when null/empty, when a probe mount
    /// under <paramref name="root"/> works; otherwise the copying snapshotter.
    /// </summary>
    public static ISnapshotter Create(string root, string? driver = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        switch (driver)
        {
            case null or "":
                return IsOverlaySupported(root) ? new OverlaySnapshotter(root) : new CopySnapshotter(root);
            case OverlaySnapshotter.DriverName or "overlay":
                return IsOverlaySupported(root)
                    ? new OverlaySnapshotter(root)
                    : throw new WharfException(ErrorKind.Unavailable, $"storage driver {OverlaySnapshotter.DriverName} is not supported on {root}");
            case CopySnapshotter.DriverName:
                return new CopySnapshotter(root);
            default:
                throw WharfException.Invalid($"unknown storage driver \"{driver}\" (expected {OverlaySnapshotter.DriverName} or {CopySnapshotter.DriverName})");
        }
    }

    /// <summary>True when an overlay mount with a whiteout works on the filesystem of <paramref name="root"/>.</summary>
    public static bool IsOverlaySupported(string root) => OverlayProbe.Run(root);
}
