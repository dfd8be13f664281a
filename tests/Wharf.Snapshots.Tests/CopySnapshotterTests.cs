using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

public sealed class CopySnapshotterTests : SnapshotterConformanceTests
{
    private CopySnapshotter Copy => (CopySnapshotter)Snapshotter;

    private protected override ISnapshotter CreateSnapshotter(string root) => new CopySnapshotter(root);

    private protected override string TreeOf(string key) => Copy.GetTreePath(key);

    private protected override SnapshotView OpenView(string key) => new(Copy.GetTreePath(key), null);

    [Fact]
    public async Task ChildIsAFullCopyPreservingMetadataAndHardLinks()
    {
        var parent = Keys.Of("p");
        var child = Keys.Of("c");
        await Snapshotter.ApplyLayerAsync(
            parent,
            null,
            new TarBuilder()
                .Dir("bin", "750", uid: 5, gid: 6)
                .File("bin/su", "s", "4755", pax: [new("SCHILY.xattr.user.k", "v")])
                .HardLink("bin/su2", "bin/su")
                .Symlink("bin/sh", "su")
                .Fifo("p")
                .ToStream(),
            Ct);
        await Snapshotter.ApplyLayerAsync(child, parent, new TarBuilder().File("new", "n").ToStream(), Ct);

        var tree = Copy.GetTreePath(child);
        var bin = Posix.LStat(Path.Join(tree, "bin"));
        Assert.Equal((Convert.ToUInt32("750", 8), 5u, 6u, TarBuilder.Time.ToUnixTimeSeconds()), (bin.Permissions, bin.Uid, bin.Gid, bin.ModifySeconds));
        var su = Posix.LStat(Path.Join(tree, "bin/su"));
        Assert.Equal(Convert.ToUInt32("4755", 8), su.Permissions);
        Assert.Equal(su.Inode, Posix.LStat(Path.Join(tree, "bin/su2")).Inode);
        Assert.NotEqual(su.Inode, Posix.LStat(Path.Join(Copy.GetTreePath(parent), "bin/su")).Inode);
        Assert.Equal("v"u8.ToArray(), Posix.LGetXattr(Path.Join(tree, "bin/su"), "user.k"));
        Assert.Equal("su", Posix.ReadLink(Path.Join(tree, "bin/sh")));
        Assert.Equal(FileKind.Fifo, Posix.LStat(Path.Join(tree, "p")).Kind);
        Assert.True(File.Exists(Path.Join(tree, "new")));
        Assert.False(File.Exists(Path.Join(Copy.GetTreePath(parent), "new")));
    }
}
