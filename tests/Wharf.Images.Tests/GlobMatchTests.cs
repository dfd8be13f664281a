namespace Wharf.Images.Tests;

public sealed class GlobMatchTests
{
    [Theory]
    [InlineData("busybox", "busybox", true)]
    [InlineData("busy*", "busybox", true)]
    [InlineData("*", "library/busybox", false)]
    [InlineData("*/*", "library/busybox", true)]
    [InlineData("bus?box", "busybox", true)]
    [InlineData("bus?box", "bus/box", false)]
    [InlineData("[a-c]usybox", "busybox", true)]
    [InlineData("[^b]usybox", "busybox", false)]
    [InlineData("busybox:*", "busybox:latest", true)]
    [InlineData("busybox:1.*", "busybox:latest", false)]
    [InlineData("\\*", "*", true)]
    public void MatchesLikeGoPathMatch(string pattern, string name, bool expected)
        => Assert.Equal(expected, GlobMatch.PathMatch(pattern, name));

    [Theory]
    [InlineData("busybox", "busybox:latest", true)]
    [InlineData("busybox:latest", "busybox:latest", true)]
    [InlineData("busybox:1.0", "busybox:latest", false)]
    [InlineData("localhost:5000/*", "localhost:5000/app:v1", true)]
    [InlineData("app", "localhost:5000/app:v1", false)]
    public void ReferenceFilterUsesFamiliarNameAndTag(string pattern, string reference, bool expected)
        => Assert.Equal(expected, ImageService.ReferenceMatches(pattern, reference));
}
