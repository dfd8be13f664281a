using Wharf.Core.Errors;

namespace Wharf.Snapshots.Tests;

public sealed class SnapshotterFactoryTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PicksOverlayWhenTheProbeWorksAndCleansUp()
    {
        // This machine supports overlayfs as root (MACHINE.md); the probe must see that.
        var snapshotter = SnapshotterFactory.Create(_temp.Root, null);

        Assert.Equal("overlay2", snapshotter.Name);
        Assert.IsType<OverlaySnapshotter>(snapshotter);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_temp.Root), p => Path.GetFileName(p).StartsWith(".overlay-probe-", StringComparison.Ordinal));
        Assert.DoesNotContain(Wharf.Linux.MountTable.ListMountPoints(), m => m.StartsWith(_temp.Base, StringComparison.Ordinal));
    }

    [Fact]
    public void DriverForcesTheChoice()
    {
        Assert.IsType<CopySnapshotter>(SnapshotterFactory.Create(_temp.Root, "vfs"));
        Assert.IsType<OverlaySnapshotter>(SnapshotterFactory.Create(_temp.Root, "overlay2"));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => SnapshotterFactory.Create(_temp.Root, "zfs")).Kind);
    }
}
