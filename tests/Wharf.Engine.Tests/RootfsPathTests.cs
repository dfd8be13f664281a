using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests;

public sealed class RootfsPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wharf-rootfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FollowsLinksInsideTheRoot()
    {
        Directory.CreateDirectory(Path.Join(_root, "real", "data"));
        File.CreateSymbolicLink(Path.Join(_root, "var"), "real");
        File.CreateSymbolicLink(Path.Join(_root, "real", "abs"), "/real/data");
        Assert.Equal(Path.Join(_root, "real", "data"), RootfsPath.Resolve(_root, "/var/data"));
        Assert.Equal(Path.Join(_root, "real", "data"), RootfsPath.Resolve(_root, "/var/abs"));
        Assert.Equal(Path.Join(_root, "missing", "x"), RootfsPath.Resolve(_root, "/missing/x"));
        Assert.Equal(_root, RootfsPath.Resolve(_root, "/"));
    }

    [Fact]
    public void NeverLeavesTheRoot()
    {
        File.CreateSymbolicLink(Path.Join(_root, "up"), "../../../../../../etc");
        File.CreateSymbolicLink(Path.Join(_root, "etc2"), "/etc");
        Assert.Equal(Path.Join(_root, "etc"), RootfsPath.Resolve(_root, "/up"));
        Assert.Equal(Path.Join(_root, "etc"), RootfsPath.Resolve(_root, "/etc2"));
        Assert.Equal(Path.Join(_root, "etc"), RootfsPath.Resolve(_root, "/../../etc"));
    }

    [Fact]
    public void LinkLoopsAreAnError()
    {
        File.CreateSymbolicLink(Path.Join(_root, "a"), "b");
        File.CreateSymbolicLink(Path.Join(_root, "b"), "a");
        Assert.Throws<Core.Errors.WharfException>(() => RootfsPath.Resolve(_root, "/a/x"));
    }
}
