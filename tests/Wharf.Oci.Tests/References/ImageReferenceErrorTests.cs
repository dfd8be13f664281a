using Wharf.Oci.References;

namespace Wharf.Oci.Tests.References;

public sealed class ImageReferenceErrorTests
{
    private const string H64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData("Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase")]
    [InlineData("UPPER:tag", "invalid reference format: repository name (library/UPPER) must be lowercase")]
    [InlineData("a/B", "invalid reference format: repository name (a/B) must be lowercase")]
    [InlineData("localhost:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase")]
    [InlineData("Foo/Bar", "invalid reference format: repository name (Bar) must be lowercase")]
    [InlineData("a___b", "invalid reference format")]
    [InlineData("a..b", "invalid reference format")]
    [InlineData("a-", "invalid reference format")]
    [InlineData("-a", "invalid reference format")]
    [InlineData("a._b", "invalid reference format")]
    [InlineData("a:.x", "invalid reference format")]
    [InlineData("a:-x", "invalid reference format")]
    [InlineData("a:b:c", "invalid reference format")]
    [InlineData("busybox:", "invalid reference format")]
    [InlineData("a b", "invalid reference format")]
    [InlineData("busybox\n", "invalid reference format")]
    [InlineData("https://example.com/app", "invalid reference format")]
    [InlineData("ünicode", "invalid reference format")]
    [InlineData("a@b", "invalid reference format")]
    [InlineData("/a", "invalid reference format")]
    [InlineData("a/", "invalid reference format")]
    [InlineData("a//b", "invalid reference format")]
    [InlineData(":tag", "invalid reference format")]
    [InlineData("@sha256:" + H64, "invalid reference format")]
    [InlineData("a:t\u00e9", "invalid reference format")]
    [InlineData("a:t\u0661", "invalid reference format")] // a non-ASCII digit: Go's \w is ASCII
    [InlineData("busybox@sha256:abc", "invalid reference format")]
    [InlineData("busybox@sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "invalid checksum digest format")]
    // The lower-case check looks at everything before the first ':', digest algorithm included.
    [InlineData("busybox@SHA256:" + H64, "invalid reference format: repository name (library/busybox@SHA256) must be lowercase")]
    [InlineData("busybox@md5:0123456789abcdef0123456789abcdef", "unsupported digest algorithm")]
    [InlineData("busybox@sha384:0123456789abcdef0123456789abcdef", "invalid checksum digest length")]
    [InlineData("busybox@sha256:" + H64 + "00", "invalid checksum digest length")]
    [InlineData(H64, "invalid repository name (" + H64 + "), cannot specify 64-byte hexadecimal strings")]
    public void RejectsWithDockersMessage(string input, string message)
    {
        Assert.False(ImageReference.TryParseNormalizedNamed(input, out var r, out var error));
        Assert.Null(r);
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<InvalidReferenceException>(() => ImageReference.ParseNormalizedNamed(input)).Message);
    }

    [Fact]
    public void WellFormedSha384IsRefusedAsUnsupported()
    {
        // Go accepts sha384; Wharf's Digest has no sha384, so it is refused with go-digest's text.
        var hex = string.Concat(Enumerable.Repeat("ab", 48));
        Assert.False(ImageReference.TryParseNormalizedNamed("app@sha384:" + hex, out _, out var error));
        Assert.Equal("unsupported digest algorithm", error);
    }

    [Fact]
    public void NullIsInvalidFormat()
    {
        Assert.False(ImageReference.TryParseNormalizedNamed(null, out _, out var error));
        Assert.Equal("invalid reference format", error);
    }
}
