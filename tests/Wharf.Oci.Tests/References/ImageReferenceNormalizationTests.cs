using Wharf.Oci.References;

namespace Wharf.Oci.Tests.References;

public sealed class ImageReferenceNormalizationTests
{
    private const string H64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    // input, full string, familiar string, domain, path, tag (or null)
    [InlineData("busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest")]
    [InlineData("library/busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("docker.io/busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36", "docker.io", "library/busybox", "1.36")]
    [InlineData("index.docker.io/busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("index.docker.io/user/app", "docker.io/user/app", "user/app", "docker.io", "user/app", null)]
    [InlineData("user/app", "docker.io/user/app", "user/app", "docker.io", "user/app", null)]
    [InlineData("user/app:v1.0-rc_1", "docker.io/user/app:v1.0-rc_1", "user/app:v1.0-rc_1", "docker.io", "user/app", "v1.0-rc_1")]
    [InlineData("a/b/c", "docker.io/a/b/c", "a/b/c", "docker.io", "a/b/c", null)]
    [InlineData("library/a/b", "docker.io/library/a/b", "library/a/b", "docker.io", "library/a/b", null)]
    [InlineData("localhost/app", "localhost/app", "localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/app", "localhost:5000/app", "localhost:5000/app", "localhost:5000", "app", null)]
    [InlineData("localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000/app:v1", "localhost:5000", "app", "v1")]
    [InlineData("example.com/app", "example.com/app", "example.com/app", "example.com", "app", null)]
    [InlineData("example.com:443/team/app:tag", "example.com:443/team/app:tag", "example.com:443/team/app:tag", "example.com:443", "team/app", "tag")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000/app", "127.0.0.1:5000/app", "127.0.0.1:5000", "app", null)]
    [InlineData("[::1]:5000/app", "[::1]:5000/app", "[::1]:5000/app", "[::1]:5000", "app", null)]
    [InlineData("[fe80::1]/app", "[fe80::1]/app", "[fe80::1]/app", "[fe80::1]", "app", null)]
    [InlineData("Example.com/app", "Example.com/app", "Example.com/app", "Example.com", "app", null)]
    // An upper-case first component can never be a namespace, so Docker takes it as a host.
    [InlineData("Foo/bar", "Foo/bar", "Foo/bar", "Foo", "bar", null)]
    // A lone host-looking word is a repository on Docker Hub; ":5000" is then a tag.
    [InlineData("localhost", "docker.io/library/localhost", "localhost", "docker.io", "library/localhost", null)]
    [InlineData("localhost:5000", "docker.io/library/localhost:5000", "localhost:5000", "docker.io", "library/localhost", "5000")]
    [InlineData("example.com", "docker.io/library/example.com", "example.com", "docker.io", "library/example.com", null)]
    // "foo_bar.com" looks like a host to the splitter but is not a valid one, so the grammar
    // reads the whole string as a domain-less path.
    [InlineData("foo_bar.com/x", "foo_bar.com/x", "foo_bar.com/x", "", "foo_bar.com/x", null)]
    [InlineData("a__b", "docker.io/library/a__b", "a__b", "docker.io", "library/a__b", null)]
    [InlineData("a---b", "docker.io/library/a---b", "a---b", "docker.io", "library/a---b", null)]
    [InlineData("a.b_c-d", "docker.io/library/a.b_c-d", "a.b_c-d", "docker.io", "library/a.b_c-d", null)]
    [InlineData("a:_x", "docker.io/library/a:_x", "a:_x", "docker.io", "library/a", "_x")]
    [InlineData("a:BAR", "docker.io/library/a:BAR", "a:BAR", "docker.io", "library/a", "BAR")]
    // A digest-looking string is a name with a tag to ParseNormalizedNamed (ParseAnyReference differs).
    [InlineData("sha256:abc", "docker.io/library/sha256:abc", "sha256:abc", "docker.io", "library/sha256", "abc")]
    public void Normalizes(string input, string full, string familiar, string domain, string path, string? tag)
    {
        var r = ImageReference.ParseNormalizedNamed(input);

        Assert.Equal(full, r.ToString());
        Assert.Equal(familiar, r.FamiliarString);
        Assert.Equal(domain, r.Domain);
        Assert.Equal(path, r.Path);
        Assert.Equal(tag, r.Tag);
        Assert.Null(r.Digest);
    }

    [Theory]
    [InlineData("busybox", "busybox")]
    [InlineData("docker.io/library/busybox:latest", "busybox")]
    [InlineData("user/app:1", "user/app")]
    [InlineData("localhost:5000/app", "localhost:5000/app")]
    [InlineData("docker.io/library/a/b", "library/a/b")]
    [InlineData("quay.io/library/x", "quay.io/library/x")]
    public void FamiliarName(string input, string expected)
        => Assert.Equal(expected, ImageReference.ParseNormalizedNamed(input).FamiliarName);

    [Theory]
    [InlineData("busybox@sha256:" + H64, "docker.io/library/busybox@sha256:" + H64, "busybox@sha256:" + H64, null)]
    [InlineData("busybox:1@sha256:" + H64, "docker.io/library/busybox:1@sha256:" + H64, "busybox:1@sha256:" + H64, "1")]
    [InlineData("localhost:5000/a/b@sha256:" + H64, "localhost:5000/a/b@sha256:" + H64, "localhost:5000/a/b@sha256:" + H64, null)]
    public void Digested(string input, string full, string familiar, string? tag)
    {
        var r = ImageReference.ParseNormalizedNamed(input);

        Assert.Equal(full, r.ToString());
        Assert.Equal(familiar, r.FamiliarString);
        Assert.Equal(tag, r.Tag);
        Assert.Equal("sha256:" + H64, r.Digest?.Value);
    }

    [Fact]
    public void Sha512DigestIsAccepted()
    {
        var hex = string.Concat(Enumerable.Repeat("ab", 64));
        var r = ImageReference.ParseNormalizedNamed("app@sha512:" + hex);
        Assert.Equal("sha512:" + hex, r.Digest?.Value);
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1", "docker.io/library/busybox:1")]
    [InlineData("busybox@sha256:" + H64, "docker.io/library/busybox@sha256:" + H64)]
    [InlineData("busybox:1@sha256:" + H64, "docker.io/library/busybox:1@sha256:" + H64)]
    public void WithDefaultTagAddsLatestOnlyToBareNames(string input, string expected)
        => Assert.Equal(expected, ImageReference.ParseNormalizedNamed(input).WithDefaultTag().ToString());

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1", "docker.io/library/busybox:1")]
    [InlineData("busybox@sha256:" + H64, "docker.io/library/busybox@sha256:" + H64)]
    [InlineData("busybox:1@sha256:" + H64, "docker.io/library/busybox@sha256:" + H64)]
    public void ParseDockerRefKeepsDigestOverTag(string input, string expected)
        => Assert.Equal(expected, ImageReference.ParseDockerRef(input).ToString());

    [Fact]
    public void WithTagReplacesTagAndValidates()
    {
        var r = ImageReference.ParseNormalizedNamed("busybox:1");
        Assert.Equal("docker.io/library/busybox:2", r.WithTag("2").ToString());
        Assert.Equal("invalid tag format", Assert.Throws<InvalidReferenceException>(() => r.WithTag("-bad")).Message);
        Assert.Equal("invalid tag format", Assert.Throws<InvalidReferenceException>(() => r.WithTag(new string('t', 129))).Message);
        Assert.Equal("docker.io/library/busybox", r.WithoutTagOrDigest().ToString());
    }

    [Fact]
    public void WithDigestKeepsTag()
    {
        var r = ImageReference.ParseNormalizedNamed("busybox:1").WithDigest(Digest.Parse("sha256:" + H64));
        Assert.Equal("docker.io/library/busybox:1@sha256:" + H64, r.ToString());
        Assert.False(r.IsNameOnly);
    }

    [Fact]
    public void EqualityIsOnTheFullString()
    {
        var a = ImageReference.ParseNormalizedNamed("busybox");
        var b = ImageReference.ParseNormalizedNamed("index.docker.io/library/busybox");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a.WithDefaultTag());
        Assert.True(a != a.WithDefaultTag());
    }

    [Fact]
    public void PathLengthLimitCountsThePathNotTheDomain()
    {
        // "library/" (8) + 247 = 255: the longest official name.
        Assert.Equal(255, ImageReference.ParseNormalizedNamed(new string('a', 247)).Path.Length);
        Assert.Equal(
            "repository name must not be more than 255 characters",
            Assert.Throws<InvalidReferenceException>(() => ImageReference.ParseNormalizedNamed(new string('a', 248))).Message);
        Assert.Equal(255, ImageReference.ParseNormalizedNamed("localhost:5000/" + new string('a', 255)).Path.Length);
    }

    [Theory]
    [InlineData(127, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void TagLengthLimit(int length, bool ok)
        => Assert.Equal(ok, ImageReference.TryParseNormalizedNamed("a:" + new string('t', length), out _, out _));
}
