using Wharf.Oci.References;

namespace Wharf.Oci.Tests.References;

public sealed class ImageReferenceRawParseTests
{
    [Theory]
    [InlineData("busybox", "", "busybox", null)]
    [InlineData("library/busybox:1", "library", "busybox", "1")]
    [InlineData("docker.io/library/busybox", "docker.io", "library/busybox", null)]
    [InlineData("Docker.io/x", "Docker.io", "x", null)]
    [InlineData("localhost:5000", "", "localhost", "5000")]
    [InlineData("a_b/c", "", "a_b/c", null)]
    public void ParseDoesNotNormalize(string input, string domain, string path, string? tag)
    {
        var r = ImageReference.Parse(input);
        Assert.Equal(domain, r.Domain);
        Assert.Equal(path, r.Path);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(input, r.ToString());
    }

    [Theory]
    [InlineData("", "repository name must have at least one component")]
    [InlineData("UPPER", "repository name must be lowercase")]
    [InlineData("docker.io/Foo", "repository name must be lowercase")]
    [InlineData("a..b", "invalid reference format")]
    public void ParseErrors(string input, string message)
        => Assert.Equal(message, Assert.Throws<InvalidReferenceException>(() => ImageReference.Parse(input)).Message);

    [Theory]
    [InlineData("docker.io/library/busybox", true)]
    [InlineData("docker.io/library/busybox:latest", true)]
    [InlineData("localhost:5000/app", true)]
    [InlineData("busybox", false)]
    [InlineData("library/busybox", false)]
    [InlineData("index.docker.io/library/busybox", false)]
    public void ParseNamedWantsCanonicalForm(string input, bool canonical)
    {
        if (canonical)
        {
            Assert.Equal(input, ImageReference.ParseNamed(input).ToString());
        }
        else
        {
            Assert.Equal(
                "repository name must be canonical",
                Assert.Throws<InvalidReferenceException>(() => ImageReference.ParseNamed(input)).Message);
        }
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("_x", true)]
    [InlineData("1.0-RC_2", true)]
    [InlineData("", false)]
    [InlineData(".x", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    [InlineData("a:b", false)]
    [InlineData(null, false)]
    public void IsValidTag(string? tag, bool expected) => Assert.Equal(expected, ImageReference.IsValidTag(tag));
}
