using System.Net;
using System.Text;
using Wharf.Registry.Gc;

namespace Wharf.Registry.Tests;

public sealed class GcTests
{
    [Fact]
    public async Task MarkAndSweep()
    {
        var root = Directory.CreateTempSubdirectory("wharf-registry-gc-").FullName;
        var reg = await TestRegistry.StartAsync(root: root + "/r");
        try
        {
            var (kept, _) = await reg.PushImageAsync("gc/app", "v1", layerText: "kept layer");
            var keptLayer = TestRegistry.Sha256(Encoding.ASCII.GetBytes("kept layer"));
            var orphan = await reg.PushBlobAsync("gc/app", Encoding.ASCII.GetBytes("never referenced"));
            var (old, _) = await reg.PushImageAsync("gc/old", "v1", layerText: "old layer");
            var oldLayer = TestRegistry.Sha256(Encoding.ASCII.GetBytes("old layer"));
            using (var del = await reg.Client.DeleteAsync($"/v2/gc/old/manifests/{old}"))
            {
                Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
            }

            var dry = await RegistryGc.RunAsync(reg.Root, new GcOptions(TimeSpan.Zero, TimeSpan.FromDays(7), DryRun: true), CancellationToken.None);
            Assert.Equal(3, dry.DeletedBlobs); // orphan, old layer, old manifest (the config is shared with the kept image)
            Assert.Equal(200, (int)(await reg.Client.GetAsync($"/v2/gc/app/blobs/{orphan}")).StatusCode);

            var report = await RegistryGc.RunAsync(reg.Root, new GcOptions(TimeSpan.Zero, TimeSpan.FromDays(7)), CancellationToken.None);
            Assert.Equal(3, report.DeletedBlobs);
            Assert.Equal(2, report.DeletedLinks);
            Assert.Equal(HttpStatusCode.NotFound, (await reg.Client.GetAsync($"/v2/gc/app/blobs/{orphan}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reg.Client.GetAsync($"/v2/gc/old/blobs/{oldLayer}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/app/blobs/{keptLayer}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/app/manifests/{kept}")).StatusCode);

            // A grace period spares fresh blobs.
            var fresh = await reg.PushBlobAsync("gc/app", Encoding.ASCII.GetBytes("fresh"));
            var graced = await RegistryGc.RunAsync(reg.Root, new GcOptions(TimeSpan.FromHours(1), TimeSpan.FromDays(7)), CancellationToken.None);
            Assert.Equal(0, graced.DeletedBlobs);
            Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/app/blobs/{fresh}")).StatusCode);
        }
        finally
        {
            await reg.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task DeleteUntaggedRemovesUnreachableRevisions()
    {
        await using var reg = await TestRegistry.StartAsync();
        var (first, _) = await reg.PushImageAsync("gc/retag", "latest", layerText: "one");
        var (second, _) = await reg.PushImageAsync("gc/retag", "latest", layerText: "two");
        var report = await RegistryGc.RunAsync(reg.Root, new GcOptions(TimeSpan.Zero, TimeSpan.FromDays(7), DeleteUntagged: true), CancellationToken.None);
        Assert.Equal(1, report.DeletedManifests);
        Assert.Equal(HttpStatusCode.NotFound, (await reg.Client.GetAsync($"/v2/gc/retag/manifests/{first}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reg.Client.GetAsync($"/v2/gc/retag/manifests/{second}")).StatusCode);
    }
}
