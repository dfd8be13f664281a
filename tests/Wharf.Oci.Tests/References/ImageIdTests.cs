using Wharf.Oci.References;

namespace Wharf.Oci.Tests.References;

public sealed class ImageIdTests
{
    private const string H64 = "d22d5084b7b49e70bcb9fbdd6ac6b31152a65f174854a2d69aee865c6ff394f2";

    [Fact]
    public void BareHexIsASha256Id()
    {
        var r = ImageReference.ParseAnyReference(H64);
        Assert.True(r.IsId);
        Assert.Null(r.Named);
        Assert.Equal("sha256:" + H64, r.Id?.Value);
        Assert.Equal("sha256:" + H64, r.ToString());
    }

    [Theory]
    [InlineData("sha256:" + H64)]
    [InlineData("sha512:" + H64 + H64)]
    public void FullDigestIsAnId(string input)
    {
        var r = ImageReference.ParseAnyReference(input);
        Assert.True(r.IsId);
        Assert.Equal(input, r.Id?.Value);
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox")]
    [InlineData("d22d5084b7b4", "docker.io/library/d22d5084b7b4")] // short IDs parse as names first
    [InlineData("sha256:abc", "docker.io/library/sha256:abc")]
    public void EverythingElseIsAName(string input, string expected)
    {
        var r = ImageReference.ParseAnyReference(input);
        Assert.False(r.IsId);
        Assert.Equal(expected, r.Named?.ToString());
    }

    [Fact]
    public void AnyReferenceReportsNameErrors()
    {
        Assert.False(ImageReference.TryParseAnyReference("Busybox", out _, out var error));
        Assert.Equal("invalid reference format: repository name (library/Busybox) must be lowercase", error);
    }

    [Theory]
    [InlineData(H64, true)]
    [InlineData("sha256:" + H64, true)]
    [InlineData("d22d5084b7b4", false)]
    [InlineData("D22D5084B7B49E70BCB9FBDD6AC6B31152A65F174854A2D69AEE865C6FF394F2", false)]
    [InlineData("sha512:" + H64, false)]
    [InlineData("busybox", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsFullImageId(string? input, bool expected) => Assert.Equal(expected, ImageReference.IsFullImageId(input));

    [Theory]
    [InlineData("d22d5084b7b4", "d22d5084b7b4")]
    [InlineData("d", "d")]
    [InlineData("sha256:d22d", "d22d")]
    [InlineData(H64, H64)]
    [InlineData("sha256:" + H64, H64)]
    [InlineData("busybox", null)]
    [InlineData("D22D", null)]
    [InlineData("sha256:", null)]
    [InlineData("", null)]
    [InlineData(H64 + "0", null)]
    [InlineData("sha512:d22d", null)]
    public void IdPrefix(string input, string? expected)
    {
        Assert.Equal(expected is not null, ImageReference.TryParseImageIdPrefix(input, out var hex));
        Assert.Equal(expected, hex);
    }
}
