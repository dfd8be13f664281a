using Wharf.Registry.Http;

namespace Wharf.Registry.Tests;

public sealed class RouteTests
{
    [Theory]
    [InlineData("/v2/", "Base", "", "")]
    [InlineData("/v2/_catalog", "Catalog", "", "")]
    [InlineData("/v2/a/b/c/blobs/sha256:abc", "Blob", "a/b/c", "sha256:abc")]
    [InlineData("/v2/a/blobs/uploads/", "Upload", "a", "")]
    [InlineData("/v2/a/blobs/uploads", "Upload", "a", "")]
    [InlineData("/v2/a/blobs/uploads/0123", "Upload", "a", "0123")]
    [InlineData("/v2/blobs/blobs/x", "Blob", "blobs", "x")]
    [InlineData("/v2/m/manifests/x/manifests/latest", "Manifest", "m/manifests/x", "latest")]
    [InlineData("/v2/n/tags/list", "Tags", "n", "")]
    [InlineData("/v2/n/referrers/sha256:1", "Referrers", "n", "sha256:1")]
    [InlineData("/v2/n/other/x", "Unknown", "", "")]
    [InlineData("/v1/search", "Search", "", "")]
    public void ParsesFromTheEnd(string path, string kind, string name, string segment)
    {
        var route = Route.Parse(path);
        Assert.Equal(kind, route.Kind.ToString());
        Assert.Equal(name, route.Name);
        Assert.Equal(segment, route.Segment);
    }

    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=90-", 100, 90, 10)]
    [InlineData("bytes=-5", 100, 95, 5)]
    [InlineData("bytes=-500", 100, 0, 100)]
    [InlineData("bytes=50-1000", 100, 50, 50)]
    public void ParsesSatisfiableRanges(string header, long size, long offset, long length)
    {
        Assert.True(RegistryApi.TryParseRange(header, size, out var o, out var l));
        Assert.Equal(offset, o);
        Assert.Equal(length, l);
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=5-1", 100)]
    [InlineData("bytes=0-1,5-6", 100)]
    [InlineData("items=0-1", 100)]
    [InlineData("bytes=-0", 100)]
    public void RefusesOthers(string header, long size) => Assert.False(RegistryApi.TryParseRange(header, size, out _, out _));

    [Theory]
    [InlineData("library/busybox", true)]
    [InlineData("a.b_c__d-e---f/g", true)]
    [InlineData("a/../b", false)]
    [InlineData("a//b", false)]
    [InlineData("/a", false)]
    [InlineData("a/", false)]
    [InlineData("A", false)]
    [InlineData("a___b", false)]
    [InlineData("a\n", false)]
    [InlineData("_layers", false)]
    public void ValidatesNames(string name, bool valid) => Assert.Equal(valid, RepositoryName.IsValid(name));
}
