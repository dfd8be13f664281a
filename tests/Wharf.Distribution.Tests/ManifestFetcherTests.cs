using Wharf.Oci.Image;

namespace Wharf.Distribution.Tests;

public sealed class ManifestFetcherTests
{
    private static readonly ImageIndex Index = new()
    {
        Manifests =
        [
            new Descriptor { Digest = "sha256:" + new string('1', 64), Platform = new Platform { Os = "linux", Architecture = "arm", Variant = "v7" } },
            new Descriptor { Digest = "sha256:" + new string('2', 64), Platform = new Platform { Os = "linux", Architecture = "amd64" } },
            new Descriptor { Digest = "sha256:" + new string('3', 64), Platform = new Platform { Os = "unknown", Architecture = "unknown" } },
            new Descriptor { Digest = "sha256:" + new string('4', 64), Platform = new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" } },
        ],
    };

    [Theory]
    [InlineData("amd64", null, '2')]
    [InlineData("arm", "v7", '1')]
    [InlineData("arm64", null, '4')]
    [InlineData("arm64", "v8", '4')]
    public void PicksThePlatformsEntry(string arch, string? variant, char expected)
        => Assert.Equal("sha256:" + new string(expected, 64), ManifestFetcher.PickPlatform(Index, "linux", arch, variant).Digest);

    [Fact]
    public void NoMatchIsDockersNotFound()
    {
        var e = Assert.Throws<Wharf.Core.Errors.WharfException>(() => ManifestFetcher.PickPlatform(Index, "linux", "s390x", null));
        Assert.Equal(Wharf.Core.Errors.ErrorKind.NotFound, e.Kind);
        Assert.Equal("no matching manifest for linux/s390x in the manifest list entries", e.Message);
    }

    [Theory]
    [InlineData(null, "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/arm64/v8", "linux/arm64/v8")]
    public void ParsesPlatforms(string? given, string expected)
    {
        if (PlatformSpec.HostArchitecture == "amd64" || given is not null)
        {
            Assert.Equal(expected, PlatformSpec.Parse(given).ToString());
        }
    }

    [Theory]
    [InlineData("windows/amd64")]
    [InlineData("linux//")]
    public void RejectsBadPlatforms(string given)
        => Assert.Throws<Wharf.Core.Errors.WharfException>(() => PlatformSpec.Parse(given));
}
