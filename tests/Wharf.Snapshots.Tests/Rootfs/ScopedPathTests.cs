using Wharf.Core.Errors;
using Wharf.Snapshots.Rootfs;

namespace Wharf.Snapshots.Tests.Rootfs;

/// <summary>
/// The pure path arithmetic behind the archive endpoints, over a fake file system of symlinks:
/// whatever the links and ".." say, a resolved path stays inside the root.
/// </summary>
public sealed class ScopedPathTests
{
    private static Func<string, string?> Links(params (string Path, string Target)[] links)
    {
        var map = links.ToDictionary(l => l.Path, l => l.Target, StringComparer.Ordinal);
        return p => map.GetValueOrDefault(p);
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("a/b", "/a/b")]
    [InlineData("/a/./b/", "/a/b")]
    [InlineData("/a//b", "/a/b")]
    [InlineData("../../../etc", "/etc")]
    [InlineData("/a/../../b", "/b")]
    [InlineData("/..", "/")]
    public void CleanStaysBelowTheRoot(string path, string expected) => Assert.Equal(expected, ScopedPath.Clean(path));

    [Theory]
    [InlineData("/d", "/d")]
    [InlineData("d/", "/d/")]
    [InlineData("/d/.", "/d/.")]
    [InlineData(".", "/")]
    [InlineData("/", "/")]
    [InlineData("/a/../d/", "/d/")]
    public void AbsoluteKeepsATrailingSlashOrDot(string path, string expected) => Assert.Equal(expected, ScopedPath.Absolute(path));

    [Theory]
    [InlineData("/d/f.txt", "/d/", "f.txt")]
    [InlineData("/d/", "/d/", "")]
    [InlineData("/d/.", "/d/", ".")]
    [InlineData("/", "/", "")]
    public void SplitsLikeGo(string path, string dir, string name) => Assert.Equal((dir, name), ScopedPath.Split(path));

    [Theory]
    [InlineData("/d/f.txt", "f.txt")]
    [InlineData("/d/", "d")]
    [InlineData("/d/.", ".")]
    [InlineData("/", "/")]
    public void BaseLikeGo(string path, string expected) => Assert.Equal(expected, ScopedPath.Base(path));

    [Fact]
    public void SymlinkToRootResolvesToTheContainerRoot()
        => Assert.Equal("/etc/passwd", ScopedPath.Resolve("/evil/etc/passwd", Links(("/evil", "/")), followFinal: true));

    [Fact]
    public void RelativeLinkClimbingAboveTheRootStopsThere()
        => Assert.Equal("/etc/shadow", ScopedPath.Resolve("/up/etc/shadow", Links(("/up", "../../../../../../..")), followFinal: true));

    [Fact]
    public void DotDotAfterALinkIsTakenFromTheLinkTarget()
        => Assert.Equal("/x/b", ScopedPath.Resolve("/a/../b", Links(("/a", "/x/y")), followFinal: true));

    [Fact]
    public void ChainsOfLinksAreFollowedInsideTheRoot()
    {
        var links = Links(("/l1", "l2"), ("/l2", "/sub/l3"), ("/sub/l3", "../../../../target"), ("/target", "/"));
        Assert.Equal("/etc/hosts", ScopedPath.Resolve("/l1/etc/hosts", links, followFinal: true));
    }

    [Fact]
    public void LinksInsideLinkTargetsAreResolvedToo()
    {
        var links = Links(("/a", "/b/c"), ("/b", "/real"));
        Assert.Equal("/real/c/file", ScopedPath.Resolve("/a/file", links, followFinal: true));
    }

    [Fact]
    public void FinalLinkIsKeptUnlessFollowed()
    {
        var links = Links(("/d/link", "/etc"));
        Assert.Equal("/d/link", ScopedPath.Resolve("/d/link", links, followFinal: false));
        Assert.Equal("/etc", ScopedPath.Resolve("/d/link", links, followFinal: true));
    }

    [Fact]
    public void TrailingSlashOrDotFollowsTheFinalLink()
    {
        var links = Links(("/dlink", "/d"));
        Assert.Equal("/d", ScopedPath.Resolve("/dlink/", links, followFinal: false));
        Assert.Equal("/d", ScopedPath.Resolve("/dlink/.", links, followFinal: false));
    }

    [Fact]
    public void LinkLoopsFailInsteadOfSpinning()
    {
        var links = Links(("/a", "/b"), ("/b", "/a"));
        var e = Assert.Throws<WharfException>(() => ScopedPath.Resolve("/a/x", links, followFinal: true));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void MissingComponentsAreKept()
        => Assert.Equal("/d/missing/file", ScopedPath.Resolve("/dlink/missing/file", Links(("/dlink", "/d")), followFinal: true));

    [Fact]
    public void ReadLinkOnlySeesSymlinkFreePathsInsideTheRoot()
    {
        var asked = new List<string>();
        var map = new Dictionary<string, string>(StringComparer.Ordinal) { ["/up"] = "../..", ["/a"] = "/up/b" };
        ScopedPath.Resolve("/a/../../c", p =>
        {
            asked.Add(p);
            return map.GetValueOrDefault(p);
        }, followFinal: true);
        Assert.All(asked, p =>
        {
            Assert.StartsWith("/", p);
            Assert.DoesNotContain("..", p.Split('/'));
        });
    }

    [Theory]
    [InlineData("a/b", "a/b")]
    [InlineData("/abs.txt", "abs.txt")]
    [InlineData("./x/./y/", "x/y")]
    [InlineData("a/../b", "b")]
    [InlineData(".", "")]
    [InlineData("/", "")]
    [InlineData("../escape", null)]
    [InlineData("a/../../escape", null)]
    [InlineData("/../x", null)]
    public void EntryNamesCannotClimbOut(string name, string? expected) => Assert.Equal(expected, ScopedPath.CleanEntryName(name));

    [Theory]
    [InlineData("out", "../../etc", false)]
    [InlineData("sub/out", "../x", true)]
    [InlineData("sub/out", "../../x", false)]
    [InlineData("absl", "/etc", true)]
    [InlineData("rel", "f.txt", true)]
    [InlineData("a/b/c", "../../../", false)]
    public void SymlinksFollowDockersBreakoutRule(string entry, string target, bool inside)
        => Assert.Equal(inside, ScopedPath.SymlinkStaysInside(entry, target));
}
