using Wharf.Build.Parsing;

namespace Wharf.Build.Tests;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.md", "README.md", true)]
    [InlineData("*.md", "docs/README.md", false)]
    [InlineData("**/*.md", "docs/a/README.md", true)]
    [InlineData("**/*.md", "README.md", true)]
    [InlineData("temp?", "temp1", true)]
    [InlineData("temp?", "temp12", false)]
    [InlineData("/build", "build/x/y", true)]
    [InlineData("./build/", "build", true)]
    [InlineData("node_modules", "node_modules/a/b.js", true)]
    [InlineData("a/**", "a/b/c", true)]
    [InlineData("a/**/z", "a/z", true)]
    [InlineData("a/**/z", "a/b/c/z", true)]
    [InlineData("[ab].txt", "a.txt", true)]
    [InlineData("[!ab].txt", "a.txt", false)]
    [InlineData("\\*x", "*x", true)]
    [InlineData("# comment", "# comment", false)]
    public void Matches(string pattern, string path, bool excluded)
        => Assert.Equal(excluded, new DockerIgnore([pattern]).Excludes(path));

    [Fact]
    public void ExceptionsAndOrder()
    {
        var ig = DockerIgnore.Parse("*.md\n!README.md\n# comment\n\nsecret/\n!secret/keep\nREADME-secret.md\n");
        Assert.True(ig.Excludes("CHANGES.md"));
        Assert.False(ig.Excludes("README.md"));
        Assert.True(ig.Excludes("README-secret.md"));
        Assert.True(ig.Excludes("secret/a"));
        Assert.False(ig.Excludes("secret/keep"));
        Assert.False(ig.Excludes("main.go"));
    }
}
