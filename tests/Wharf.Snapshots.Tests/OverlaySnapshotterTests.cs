using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

public sealed class OverlaySnapshotterTests : SnapshotterConformanceTests
{
    private OverlaySnapshotter Overlay => (OverlaySnapshotter)Snapshotter;

    private protected override ISnapshotter CreateSnapshotter(string root) => new OverlaySnapshotter(root);

    private protected override string TreeOf(string key) => Overlay.GetDiffPath(key);

    /// <summary>Mounts the chain read-only (lowerdirs only, no upper) like a container's lower stack.</summary>
    private protected override SnapshotView OpenView(string key)
    {
        var dirs = Overlay.GetDiffPaths(key);
        if (dirs.Count == 1)
        {
            return new SnapshotView(dirs[0], null);
        }

        var target = Path.Join(Temp.Base, "view-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        Posix.Mount("overlay", target, "overlay", MountFlags.ReadOnly, "lowerdir=" + string.Join(':', dirs));
        return new SnapshotView(target, () =>
        {
            Posix.Unmount(target, UnmountFlags.Detach);
            Directory.Delete(target);
        });
    }

    [Fact]
    public async Task WritesWhiteoutsInOverlayFormat()
    {
        var bottom = Keys.Of("b");
        var top = Keys.Of("t");
        await Snapshotter.ApplyLayerAsync(bottom, null, new TarBuilder().Dir("d").File("d/x", "x").File("y", "y").ToStream(), Ct);
        await Snapshotter.ApplyLayerAsync(top, bottom, new TarBuilder().Whiteout("", "y").Dir("d").Opaque("d").ToStream(), Ct);

        var diff = Overlay.GetDiffPath(top);
        var whiteout = Posix.LStat(Path.Join(diff, "y"));
        Assert.Equal((FileKind.CharacterDevice, 0u, 0u), (whiteout.Kind, whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.Equal("y"u8.ToArray(), Posix.LGetXattr(Path.Join(diff, "d"), "trusted.overlay.opaque"));
        Assert.False(File.Exists(Path.Join(diff, ".wh.y")));
        Assert.Equal([Path.Join(Temp.Root, "overlay2", top[7..], "diff"), Path.Join(Temp.Root, "overlay2", bottom[7..], "diff")], Overlay.GetDiffPaths(top));
        Assert.Equal("", await File.ReadAllTextAsync(Path.Join(Temp.Root, "overlay2", bottom[7..], "parent"), Ct));
        Assert.Equal(bottom, await File.ReadAllTextAsync(Path.Join(Temp.Root, "overlay2", top[7..], "parent"), Ct));
    }
}
