using Wharf.Linux;
using Wharf.Snapshots.Rootfs;

namespace Wharf.Snapshots.Tests.Rootfs;

/// <summary>
/// Removing a build's mount stubs: only an empty directory or an empty regular file goes, the
/// parent's times are as before the removal, and a path through a link to the host never
/// touches anything outside the root.
/// </summary>
public sealed class MountStubTests : IDisposable
{
    private readonly TempRoot _t = new();
    private readonly string _rootfs;

    public MountStubTests()
    {
        _rootfs = Path.Join(_t.Root, "rootfs");
        Directory.CreateDirectory(Path.Join(_rootfs, "p", "emptydir"));
        Directory.CreateDirectory(Path.Join(_rootfs, "p", "full"));
        File.WriteAllText(Path.Join(_rootfs, "p", "full", "f"), "x");
        File.WriteAllText(Path.Join(_rootfs, "p", "emptyfile"), "");
        File.WriteAllText(Path.Join(_rootfs, "p", "datafile"), "data");
        Posix.Symlink("emptydir", Path.Join(_rootfs, "p", "link"));
        Posix.Symlink(_t.Sentinel, Path.Join(_rootfs, "host"));
        Directory.CreateDirectory(Path.Join(_t.Sentinel, "emptyhostdir"));
    }

    public void Dispose() => _t.Dispose();

    private ContainerRoot Open() => (ContainerRoot)new RootfsAccess().OpenDirectory(_rootfs, "test");

    [Fact]
    public void RemovesOnlyEmptyStubsAndKeepsTheParentsTimes()
    {
        var parent = Path.Join(_rootfs, "p");
        var old = new DateTime(2001, 9, 9, 1, 46, 40, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(parent, old);
        using var root = Open();

        Assert.True(root.RemoveMountStub("/p/emptydir"));
        Assert.True(root.RemoveMountStub("/p/emptyfile"));
        Assert.False(root.RemoveMountStub("/p/full"));
        Assert.False(root.RemoveMountStub("/p/datafile"));
        Assert.False(root.RemoveMountStub("/p/link"));
        Assert.False(root.RemoveMountStub("/p/missing"));
        Assert.False(root.RemoveMountStub("/"));

        Assert.False(Directory.Exists(Path.Join(parent, "emptydir")));
        Assert.False(File.Exists(Path.Join(parent, "emptyfile")));
        Assert.True(File.Exists(Path.Join(parent, "full", "f")));
        Assert.True(File.Exists(Path.Join(parent, "datafile")));
        Assert.NotNull(new FileInfo(Path.Join(parent, "link")).LinkTarget);
        Assert.Equal(old, Directory.GetLastWriteTimeUtc(parent));
    }

    [Fact]
    public void APathThroughALinkToTheHostStaysInTheRoot()
    {
        using var root = Open();
        Assert.False(root.RemoveMountStub("/host/emptyhostdir"));
        Assert.True(Directory.Exists(Path.Join(_t.Sentinel, "emptyhostdir")));
    }
}
