using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Images;

namespace Wharf.Images.Tests;

public sealed class ImageServiceTests
{
    [Fact]
    public async Task RemovingOneTagKeepsTheImageUntilTheLastGoes()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("a", "app", "1");
        await h.Service.TagAsync("app:1", "app", "2", CancellationToken.None);
        var first = await h.Service.RemoveAsync("app:1", force: false, noPrune: false, CancellationToken.None);
        Assert.Equal([new ImageDeleteItem("app:1", null)], first);
        Assert.Equal(id, h.Service.Inspect("app:2").Image.Id.Value);

        var last = await h.Service.RemoveAsync("app:2", force: false, noPrune: false, CancellationToken.None);
        Assert.Equal("app:2", last[0].Untagged);
        Assert.Equal(id, last[1].Deleted);
        // The layer's chain ID is reported too, as docker does.
        Assert.Equal(3, last.Count);
        Assert.StartsWith("sha256:", last[2].Deleted);
        Assert.Empty(h.Service.List(all: true, FilterSet.Empty));
        Assert.Equal(0, h.Service.LayersSize());
    }

    [Fact]
    public async Task RemovingByIdAcrossRepositoriesNeedsForce()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("a", "one", "latest");
        await h.Service.TagAsync(id, "two", null, CancellationToken.None);
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.RemoveAsync(id[7..19], false, false, CancellationToken.None));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"conflict: unable to delete {id[7..19]} (must be forced) - image is referenced in multiple repositories", e.Message);
        var forced = await h.Service.RemoveAsync(id[7..19], true, false, CancellationToken.None);
        Assert.Equal(2, forced.Count(i => i.Untagged is not null));
        Assert.Contains(forced, i => i.Deleted == id);
    }

    [Fact]
    public async Task RemovingByIdWithTagsOfOneRepositoryNeedsNoForce()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("a", "one", "v1");
        await h.Service.TagAsync(id, "one", "v2", CancellationToken.None);
        var removed = await h.Service.RemoveAsync(id, false, false, CancellationToken.None);
        Assert.Equal(["one:v1", "one:v2"], removed.Where(r => r.Untagged is not null).Select(r => r.Untagged!).Order());
    }

    [Fact]
    public async Task ResolvesIdsPrefixesAndNormalisedNames()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("a", "docker.io/library/busybox", "latest");
        foreach (var name in new[] { id, id[7..], id[7..15], "sha256:" + id[7..15], "busybox", "busybox:latest", "library/busybox", "docker.io/library/busybox:latest", "index.docker.io/library/busybox" })
        {
            Assert.Equal(id, h.Service.Inspect(name).Image.Id.Value);
        }

        Assert.Equal(["busybox:latest"], h.Service.Inspect("busybox").RepoTags);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<WharfException>(() => h.Service.Inspect("nothere")).Kind);
        Assert.Equal("No such image: nothere:latest", Assert.Throws<WharfException>(() => h.Service.Inspect("nothere")).Message);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => h.Service.Inspect("UPPER")).Kind);
    }

    [Fact]
    public async Task ListFilters()
    {
        await using var h = await Harness.StartAsync();
        var a = await h.ImportAsync("a", "alpha", "1", "LABEL tier=web");
        await Task.Delay(1100);
        var b = await h.ImportAsync("b", "beta", "1", "LABEL tier=db");
        await Task.Delay(1100);
        var c = await h.ImportAsync("c");
        string[] Ids(FilterSet f) => [.. h.Service.List(false, f).Select(v => v.Image.Id.Value)];
        Assert.Equal([c, b, a], Ids(FilterSet.Empty));
        Assert.Equal([c], Ids(FilterSet.Of(("dangling", "true"))));
        Assert.Equal([b, a], Ids(FilterSet.Of(("dangling", "false"))));
        Assert.Equal([a], Ids(FilterSet.Of(("label", "tier=web"))));
        Assert.Equal([b], Ids(FilterSet.Of(("label!", "tier=web"), ("dangling", "false"))));
        Assert.Equal([b], Ids(FilterSet.Of(("reference", "be*"))));
        Assert.Equal([a], Ids(FilterSet.Of(("before", "beta:1"))));
        Assert.Equal([c], Ids(FilterSet.Of(("since", "beta:1"))));
        Assert.Throws<WharfException>(() => Ids(FilterSet.Of(("nope", "x"))));
    }

    [Fact]
    public async Task PruneDanglingThenAll()
    {
        await using var h = await Harness.StartAsync();
        await h.ImportAsync("kept", "kept", "1");
        var dangling = await h.ImportAsync("dangling");
        var pruned = await h.Service.PruneAsync(all: false, FilterSet.Empty, CancellationToken.None);
        Assert.Contains(pruned.Deleted, d => d.Deleted == dangling);
        Assert.True(pruned.SpaceReclaimed > 0);
        Assert.Single(h.Service.List(true, FilterSet.Empty));

        var all = await h.Service.PruneAsync(all: true, FilterSet.Empty, CancellationToken.None);
        Assert.Contains(all.Deleted, d => d.Untagged == "kept:1");
        Assert.Empty(h.Service.List(true, FilterSet.Empty));
    }

    [Fact]
    public async Task SaveLoadRoundTripKeepsIdAndTags()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("rt", "round", "trip", "CMD [\"sh\"]");
        await h.Service.TagAsync(id, "round", "other", CancellationToken.None);
        var archive = await h.SaveAsync("round");
        var again = await h.SaveAsync("round");
        Assert.Equal(archive, again);

        await h.Service.RemoveAsync(id, true, false, CancellationToken.None);
        var messages = await h.LoadAsync(archive);
        Assert.Contains("Loaded image: round:trip\n", messages);
        Assert.Contains("Loaded image: round:other\n", messages);
        Assert.Equal(id, h.Service.Inspect("round:trip").Image.Id.Value);
    }

    [Fact]
    public async Task LoadsAnOciLayoutWithoutManifestJson()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("oci", "oci/only", "v1");
        var archive = await h.SaveAsync("oci/only:v1");
        await h.Service.RemoveAsync(id, true, false, CancellationToken.None);
        var ociOnly = Filter(archive, name => name != "manifest.json");
        var messages = await h.LoadAsync(ociOnly);
        Assert.Contains("Loaded image: oci/only:v1\n", messages);
        Assert.Equal(id, h.Service.Inspect("oci/only:v1").Image.Id.Value);
    }

    [Fact]
    public async Task LoadsALegacyDockerArchiveWithGzipLayersAndSymlinks()
    {
        await using var h = await Harness.StartAsync();
        var layer = Harness.Rootfs("legacy");
        var diffId = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(layer));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(layer);
        }

        var config = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux", ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh") }, ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId, diffId) } }.ToJsonString();
        var archive = Harness.Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "aaa/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "aaa/layer.tar") { DataStream = new MemoryStream(gz.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bbb/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bbb/layer.tar") { LinkName = "../aaa/layer.tar" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cfg.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(config)) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream("""[{"Config":"cfg.json","RepoTags":["legacy:1"],"Layers":["aaa/layer.tar","bbb/layer.tar"]}]"""u8.ToArray()) });
        });
        await h.LoadAsync(archive);
        var img = h.Service.Inspect("legacy:1").Image;
        Assert.Equal(2, img.DiffIds.Count);
        Assert.Equal(["sh"], img.Config.Config!.Cmd);
    }

    [Fact]
    public async Task LoadMovesATagAndSaysSo()
    {
        await using var h = await Harness.StartAsync();
        var first = await h.ImportAsync("one", "moving", "tag");
        var archive = await h.SaveAsync("moving:tag");
        await h.Service.RemoveAsync("moving:tag", false, false, CancellationToken.None);
        await h.ImportAsync("two", "moving", "tag");
        var messages = await h.LoadAsync(archive);
        Assert.Contains(messages, m => m.StartsWith("The image moving:tag already exists, renaming the old one with ID", StringComparison.Ordinal));
        Assert.Equal(first, h.Service.Inspect("moving:tag").Image.Id.Value);
    }

    [Fact]
    public async Task HistoryListsNewestFirstWithTagsOnTop()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.ImportAsync("h", "hist", "1");
        var rows = h.Service.History("hist:1");
        Assert.Single(rows);
        Assert.Equal(id, rows[0].Id);
        Assert.Equal(["hist:1"], rows[0].Tags);
        Assert.Equal("Imported from -", rows[0].Comment);
        Assert.True(rows[0].Size > 0);
    }

    [Fact]
    public async Task InvalidRepositoryFailsBeforeTheBodyIsRead()
    {
        await using var h = await Harness.StartAsync();
        var body = new ThrowingStream();
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.ImportAsync(body, new ImportRequest { Repository = "Bad Name" }, _ => ValueTask.CompletedTask, CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public async Task RestartDropsHalfCommittedImagesAndCollectsTheirContent()
    {
        await using var h = await Harness.StartAsync();
        var kept = await h.ImportAsync("kept", "kept", "1");
        var doomed = await h.ImportAsync("doomed", "doomed", "1");
        var layer = h.Service.Inspect(doomed).Image.DiffIds[0];

        // Simulate a kill between "snapshot removed" and "record removed", plus in-flight leftovers.
        Directory.Delete(Path.Combine(h.Dir, "snapshots", "vfs", layer.Hex), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(h.Dir, "content", "ingest", "blob-partial"), "half");
        await File.WriteAllTextAsync(Path.Combine(h.Dir, "image", "repositories.json.tmp-123"), "{");

        await h.RestartAsync();
        var ids = h.Service.List(true, FilterSet.Empty).Select(v => v.Image.Id.Value).ToList();
        Assert.Equal([kept], ids);
        Assert.Throws<WharfException>(() => h.Service.Inspect("doomed:1"));
        Assert.Empty(Directory.GetFiles(Path.Combine(h.Dir, "content", "ingest")));
        Assert.False(File.Exists(Path.Combine(h.Dir, "content", "blobs", "sha256", doomed[7..])));
        Assert.False(File.Exists(Path.Combine(h.Dir, "image", "repositories.json.tmp-123")));
    }

    [Fact]
    public async Task EventsAreRecordedForImageOperations()
    {
        await using var h = await Harness.StartAsync();
        var since = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var id = await h.ImportAsync("ev", "ev", "1");
        await h.Service.RemoveAsync("ev:1", false, false, CancellationToken.None);
        var until = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var actions = new List<string>();
        await foreach (var e in h.Events.StreamAsync(since, until, FilterSet.Empty, CancellationToken.None))
        {
            actions.Add(e.Action);
            Assert.Equal(id, e.ActorId);
        }

        Assert.Equal(["import", "tag", "untag", "delete"], actions);
    }

    private static byte[] Filter(byte[] tar, Func<string, bool> keep)
    {
        var reader = new TarReader(new MemoryStream(tar));
        return Harness.Tar(w =>
        {
            while (reader.GetNextEntry(copyData: true) is { } e)
            {
                if (keep(e.Name))
                {
                    w.WriteEntry(e);
                }
            }
        });
    }

    private sealed class ThrowingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("body must not be read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("body must not be read");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
