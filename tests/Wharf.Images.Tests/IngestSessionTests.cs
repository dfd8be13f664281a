using System.Text;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Oci;

namespace Wharf.Images.Tests;

/// <summary>The ingest session a registry pull writes through: layers bottom up, then the references.</summary>
public sealed class IngestSessionTests
{
    private static byte[] Config(params Digest[] diffIds)
        => Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + string.Join(",", diffIds.Select(d => "\"" + d + "\"")) + "]}}");

    [Fact]
    public async Task LayersThenCommitMakeATaggedImageAndASecondCommitChangesNothing()
    {
        await using var h = await Harness.StartAsync();
        var l0 = Harness.Rootfs("zero");
        var l1 = Harness.Rootfs("one");
        var config = Config(Digest.ComputeSha256(l0), Digest.ComputeSha256(l1));
        const string tag = "example.test/a/b:v1";
        await using (var s = h.Service.BeginIngest(config))
        {
            Assert.False(s.HasLayer(0));
            await s.AddLayerAsync(0, new MemoryStream(l0), CancellationToken.None);
            await s.AddLayerAsync(1, new MemoryStream(l1), CancellationToken.None);
            Assert.True(await s.CommitAsync([tag, "example.test/a/b@sha256:" + new string('a', 64)], CancellationToken.None));
            Assert.Equal(Digest.ComputeSha256(config), s.ImageId);
        }

        var view = h.Service.Inspect(tag);
        Assert.Equal(Digest.ComputeSha256(config), view.Image.Id);
        Assert.Equal(["example.test/a/b@sha256:" + new string('a', 64)], view.RepoDigests);

        await using (var again = h.Service.BeginIngest(config))
        {
            Assert.True(again.HasLayer(1));
            Assert.False(await again.CommitAsync([tag], CancellationToken.None));
        }
    }

    [Fact]
    public async Task AWrongLayerFailsAndAnAbandonedSessionLeavesNothing()
    {
        await using var h = await Harness.StartAsync();
        var l0 = Harness.Rootfs("zero");
        var config = Config(Digest.ComputeSha256(l0), Digest.ComputeSha256(Harness.Rootfs("other")));
        await using (var s = h.Service.BeginIngest(config))
        {
            await s.AddLayerAsync(0, new MemoryStream(l0), CancellationToken.None);
            var e = await Assert.ThrowsAsync<WharfException>(() => s.AddLayerAsync(1, new MemoryStream(Harness.Rootfs("not-other")), CancellationToken.None));
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        Assert.Empty(h.Service.List(all: true, FilterSet.Empty));
        Assert.Empty(Directory.GetFiles(Path.Combine(h.Dir, "content", "blobs", "sha256")));
        Assert.Equal(0, h.Service.LayersSize());
    }

    [Fact]
    public async Task LayersStoredOutOfOrderUnpackBottomUpAndAFailedSessionLeavesNothing()
    {
        await using var h = await Harness.StartAsync();
        var l0 = Harness.Rootfs("zero");
        var l1 = Harness.Rootfs("one");
        var config = Config(Digest.ComputeSha256(l0), Digest.ComputeSha256(l1));
        await using (var s = h.Service.BeginIngest(config))
        {
            // The upper layer is stored first and both at once, as a pull stores what has arrived.
            await Task.WhenAll(s.StoreLayerAsync(1, new MemoryStream(l1), CancellationToken.None), s.StoreLayerAsync(0, new MemoryStream(l0), CancellationToken.None));
        }

        // That session was abandoned: what it stored is gone again.
        Assert.Empty(Directory.GetFiles(Path.Combine(h.Dir, "content", "blobs", "sha256")));

        await using (var s = h.Service.BeginIngest(config))
        {
            await s.StoreLayerAsync(1, new MemoryStream(l1), CancellationToken.None);
            await s.StoreLayerAsync(0, new MemoryStream(l0), CancellationToken.None);
            await s.UnpackStoredLayerAsync(0, CancellationToken.None);
            await s.UnpackStoredLayerAsync(1, CancellationToken.None);
            Assert.True(await s.CommitAsync(["example.test/x:1"], CancellationToken.None));
        }

        Assert.Equal(Digest.ComputeSha256(config), h.Service.Inspect("example.test/x:1").Image.Id);

        var other = Config(Digest.ComputeSha256(l0), Digest.ComputeSha256(Harness.Rootfs("other")));
        await using (var s = h.Service.BeginIngest(other))
        {
            var e = await Assert.ThrowsAsync<WharfException>(() => s.StoreLayerAsync(1, new MemoryStream(Harness.Rootfs("not-other")), CancellationToken.None));
            Assert.StartsWith("layer 1 does not match its diff ID", e.Message, StringComparison.Ordinal);
            e = await Assert.ThrowsAsync<WharfException>(() => s.UnpackStoredLayerAsync(0, CancellationToken.None));
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }

        Assert.Single(h.Service.List(all: true, FilterSet.Empty));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"os\":\"windows\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")]
    [InlineData("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"md5:abc\"]}}")]
    public async Task BadConfigsAreRejected(string config)
    {
        await using var h = await Harness.StartAsync();
        var e = Assert.Throws<WharfException>(() => h.Service.BeginIngest(Encoding.UTF8.GetBytes(config)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
