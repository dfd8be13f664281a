using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

/// <summary>docker cp's path rules (cli/command/container/cp.go and pkg/archive's copy helpers).</summary>
public sealed class CopyPathsTests
{
    [Theory]
    [InlineData("c:/etc/hosts", "c", "/etc/hosts")]
    [InlineData("c:relative", "c", "relative")]
    [InlineData("/abs/with:colon", null, "/abs/with:colon")]
    [InlineData("./dot:colon", null, "./dot:colon")]
    [InlineData("local", null, "local")]
    [InlineData("-", null, "-")]
    [InlineData("c:", "c", "")]
    public void SplitsContainerAndPath(string arg, string? container, string path) => Assert.Equal((container, path), CopyPaths.Split(arg));

    [Theory]
    [InlineData("", ".")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("/../a", "/a")]
    [InlineData("../a", "../a")]
    [InlineData("a/./b/", "a/b")]
    [InlineData("/", "/")]
    public void CleansLikeGo(string path, string expected) => Assert.Equal(expected, CopyPaths.Clean(path));

    [Theory]
    [InlineData("/d/f.txt", "/d", "f.txt")]
    [InlineData("/d/", "/", "d")]
    [InlineData("/d/.", "/d", ".")]
    [InlineData("dir/.", "dir", ".")]
    [InlineData("f", ".", "f")]
    [InlineData("/", "/", "/")]
    public void SplitsPathDirEntry(string path, string dir, string name) => Assert.Equal((dir, name), CopyPaths.SplitPathDirEntry(path));

    [Theory]
    [InlineData("/d/", true)]
    [InlineData("/d/.", true)]
    [InlineData(".", true)]
    [InlineData("/d", false)]
    public void AssertsDirectory(string path, bool expected) => Assert.Equal(expected, CopyPaths.AssertsDirectory(path));

    [Theory]
    [InlineData("/link", "/d", "/d", "link")]
    [InlineData("/link/", "/d", "/d/", "link")]
    [InlineData("/link/.", "/d", "/d/.", "")]
    [InlineData("/d", "/d", "/d", "")]
    public void RebaseNameAfterFollowingALink(string path, string resolved, string expectedPath, string expectedRebase)
        => Assert.Equal((expectedPath, expectedRebase), CopyPaths.RebaseName(path, resolved));

    [Theory]
    [InlineData("d/", "d", "x", "x/")]
    [InlineData("d/sub/f", "d", "x", "x/sub/f")]
    [InlineData("dd/f", "d", "x", "dd/f")]
    [InlineData("./", ".", "x", "x/")]
    [InlineData("./f", ".", "x", "x/f")]
    [InlineData("/bin/sh", "bin", "b", "b/sh")]
    [InlineData("f.txt", "f.txt", "renamed.txt", "renamed.txt")]
    public void RebasesOnlyTheTopEntry(string name, string oldBase, string newBase, string expected)
        => Assert.Equal(expected, CopyPaths.Rebase(name, oldBase, newBase));
}
