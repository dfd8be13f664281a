using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

public sealed class RemoteContextTests
{
    [Theory]
    [InlineData("git://example.invalid/repo", "Git")]
    [InlineData("git@example.invalid:me/repo.git", "Git")]
    [InlineData("github.com/me/repo", "Git")]
    [InlineData("https://example.invalid/me/repo.git", "Git")]
    [InlineData("https://example.invalid/me/repo.git#main:sub", "Git")]
    [InlineData("file:///srv/repo.git", "Git")]
    [InlineData("/srv/repo.git", "Git")]
    [InlineData("https://example.invalid/context.tar.gz", "Url")]
    [InlineData("http://example.invalid/Dockerfile", "Url")]
    public void ClassifiesAsDockerdDoes(string remote, string kind) => Assert.Equal(kind, RemoteContext.Classify(remote).ToString());

    [Theory]
    [InlineData("ftp://example.invalid/x")]
    [InlineData("relative/path")]
    [InlineData("example.invalid/x.tar")]
    public void OtherRemotesAreRejected(string remote)
    {
        var e = Assert.Throws<WharfException>(() => RemoteContext.Classify(remote));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("could not be recognized as URL", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/srv/repo.git", "/srv/repo.git", null, "")]
    [InlineData("/srv/repo.git#v1", "/srv/repo.git", "v1", "")]
    [InlineData("/srv/repo.git#:docker", "/srv/repo.git", null, "docker")]
    [InlineData("file:///srv/repo.git#refs/heads/dev:a/./b/", "file:///srv/repo.git", "refs/heads/dev", "a/b")]
    [InlineData("github.com/me/repo#main", "https://github.com/me/repo", "main", "")]
    public void SplitsRefAndSubdirectory(string remote, string url, string? reference, string subdir)
        => Assert.Equal((url, reference, subdir), RemoteContext.ParseGitUrl(remote));

    [Theory]
    [InlineData("/srv/repo.git#--upload-pack=touch /tmp/x")]
    [InlineData("/srv/repo.git#main:../../etc")]
    [InlineData("/srv/repo.git#a..b")]
    public void HostileFragmentsAreRejected(string remote)
        => Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => RemoteContext.ParseGitUrl(remote)).Kind);
}
