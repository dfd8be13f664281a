using Wharf.Core.Errors;

namespace Wharf.Snapshots.Tests;

public sealed class TarPathTests
{
    [Theory]
    [InlineData("a/b", "a/b")]
    [InlineData("./a//b/", "a/b")]
    [InlineData("a/./b/../c", "a/c")]
    [InlineData("./", "")]
    [InlineData("a/..", "")]
    public void CleansLexically(string name, string expected) => Assert.Equal(expected, TarPath.Clean(name));

    [Theory]
    [InlineData("/a")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void RejectsEscapes(string name)
        => Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => TarPath.Clean(name)).Kind);
}
