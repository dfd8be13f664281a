using Wharf.Core.Errors;
using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

/// <summary>Containers' writable layers, for both drivers.</summary>
public abstract class ActiveSnapshotTests : IDisposable
{
    private readonly TempRoot _temp = new();

    private protected ActiveSnapshotTests(Func<string, ISnapshotter> create) => Snapshotter = create(_temp.Root);

    private protected ISnapshotter Snapshotter { get; }

    public void Dispose()
    {
        foreach (var id in Snapshotter.ListActive())
        {
            Snapshotter.RemoveActiveAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    private async Task<string> BaseAsync()
    {
        var key = Keys.Of("active-base");
        await Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().Dir("etc").File("etc/image.txt", "from image").ToStream(), CancellationToken.None);
        return key;
    }

    [Fact]
    public async Task WritesGoToTheContainerLayerOnly()
    {
        var key = await BaseAsync();
        await Snapshotter.PrepareActiveAsync("c1", key, CancellationToken.None);
        await Snapshotter.PrepareActiveAsync("c2", key, CancellationToken.None);
        var root1 = await Snapshotter.MountActiveAsync("c1", CancellationToken.None);
        var root2 = await Snapshotter.MountActiveAsync("c2", CancellationToken.None);
        Assert.Equal(root1, await Snapshotter.MountActiveAsync("c1", CancellationToken.None));

        Assert.Equal("from image", await File.ReadAllTextAsync(Path.Join(root1, "etc/image.txt")));
        await File.WriteAllTextAsync(Path.Join(root1, "etc/image.txt"), "changed by c1");
        await File.WriteAllTextAsync(Path.Join(root1, "new.txt"), new string('x', 1000));

        Assert.Equal("from image", await File.ReadAllTextAsync(Path.Join(root2, "etc/image.txt")));
        Assert.False(File.Exists(Path.Join(root2, "new.txt")));
        Assert.True(Snapshotter.GetActiveSize("c1") >= 1000);
        Assert.Equal(0, Snapshotter.GetActiveSize("c2"));
        Assert.Equal(["c1", "c2"], Snapshotter.ListActive());

        await Snapshotter.RemoveActiveAsync("c1", CancellationToken.None);
        // Only below the temp root, whose random name may itself contain "c1".
        Assert.DoesNotContain(MountTable.ListMountPoints(), m => m.StartsWith(_temp.Root, StringComparison.Ordinal) && $"{m[_temp.Root.Length..]}/".Contains("/c1/", StringComparison.Ordinal));
        Assert.Equal(["c2"], Snapshotter.ListActive());
        await Snapshotter.RemoveActiveAsync("c1", CancellationToken.None);
    }

    [Fact]
    public async Task BadIdsAndMissingParentsAreRefused()
    {
        await Assert.ThrowsAsync<WharfException>(() => Snapshotter.PrepareActiveAsync("../escape", Keys.Of("x"), CancellationToken.None));
        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.PrepareActiveAsync("c3", Keys.Of("missing"), CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => Snapshotter.MountActiveAsync("nope", CancellationToken.None))).Kind);
    }

    [Fact]
    public async Task RecoverRemovesHalfMadeLayers()
    {
        var key = await BaseAsync();
        await Snapshotter.PrepareActiveAsync("c4", key, CancellationToken.None);
        var dir = Directory.GetDirectories(_temp.Root, "*-containers").Single();
        Directory.CreateDirectory(Path.Join(dir, ".tmp-leftover", "upper"));
        await Snapshotter.RecoverAsync(CancellationToken.None);
        Assert.False(Directory.Exists(Path.Join(dir, ".tmp-leftover")));
        Assert.Equal(["c4"], Snapshotter.ListActive());
    }
}

public sealed class OverlayActiveSnapshotTests : ActiveSnapshotTests
{
    public OverlayActiveSnapshotTests()
        : base(root => new OverlaySnapshotter(root))
    {
    }

    [Fact]
    public async Task UnmountLeavesTheLayerInPlace()
    {
        var key = Keys.Of("um");
        await Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().File("f", "x").ToStream(), CancellationToken.None);
        await Snapshotter.PrepareActiveAsync("c5", key, CancellationToken.None);
        var root = await Snapshotter.MountActiveAsync("c5", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(root, "kept"), "yes");
        await Snapshotter.UnmountActiveAsync("c5", CancellationToken.None);
        Assert.DoesNotContain(root, MountTable.ListMountPoints());
        root = await Snapshotter.MountActiveAsync("c5", CancellationToken.None);
        Assert.Equal("yes", await File.ReadAllTextAsync(Path.Join(root, "kept")));
    }
}

public sealed class CopyActiveSnapshotTests : ActiveSnapshotTests
{
    public CopyActiveSnapshotTests()
        : base(root => new CopySnapshotter(root))
    {
    }
}
