using System.Text;
using Wharf.Linux;
using Wharf.Oci;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

/// <summary>
/// Crash safety of the filesystem storage beyond atomic renames: the directory a blob, a
/// manifest revision, a tag or a link is named in is fsynced after the name appears (and before
/// the call returns), and so is the parent of every directory made on the way. The seam records
/// each sync with what the directory held at that moment, then does the real fsync.
/// </summary>
public sealed class StorageDurabilityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wharf-registry-durable-").FullName;
    private readonly List<(string Dir, HashSet<string> Entries)> _syncs = [];
    private readonly FileSystemStorage _storage;

    public StorageDurabilityTests()
    {
        _storage = new FileSystemStorage(_root, TimeProvider.System, dir =>
        {
            _syncs.Add((dir, [.. Directory.EnumerateFileSystemEntries(dir).Select(e => Path.GetFileName(e))]));
            DirectorySync.Sync(dir);
        });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>True when <paramref name="path"/>'s directory was synced while it already held the name.</summary>
    private bool SyncedWith(string path)
        => _syncs.Any(s => s.Dir == Path.GetDirectoryName(path) && s.Entries.Contains(Path.GetFileName(path)));

    private static Digest D(byte[] data) => Digest.ComputeSha256(data);

    [Fact]
    public async Task ACommittedUploadIsSyncedIntoItsBlobDirectoryAndTheNewFoldersToo()
    {
        var ct = CancellationToken.None;
        var data = Encoding.UTF8.GetBytes("durable " + Guid.NewGuid());
        var digest = D(data);
        var session = await _storage.StartAsync("team/app", ct);
        await _storage.AppendAsync(session.Id, 0, new MemoryStream(data), ct);
        _syncs.Clear();
        await _storage.CommitAsync(session.Id, digest, ct);

        var blob = Path.Combine(_root, "blobs", "sha256", digest.Hex[..2], digest.Hex);
        Assert.True(File.Exists(blob));
        Assert.True(SyncedWith(blob), "the blob's directory is fsynced after the rename");

        // blobs/sha256/<xx>/ was new: its own name is synced into blobs/sha256 (and sha256 into blobs).
        Assert.True(SyncedWith(Path.GetDirectoryName(blob)!));
        Assert.True(SyncedWith(Path.Combine(_root, "blobs", "sha256")));

        // A second blob in the same folder needs only the one sync.
        var other = Encoding.UTF8.GetBytes("durable-2 " + Guid.NewGuid());
        var samePrefix = D(other).Hex[..2] == digest.Hex[..2];
        var s2 = await _storage.StartAsync("team/app", ct);
        await _storage.AppendAsync(s2.Id, 0, new MemoryStream(other), ct);
        _syncs.Clear();
        await _storage.CommitAsync(s2.Id, D(other), ct);
        Assert.True(SyncedWith(Path.Combine(_root, "blobs", "sha256", D(other).Hex[..2], D(other).Hex)));
        Assert.Equal(samePrefix ? 1 : 2, _syncs.Count);
    }

    [Fact]
    public async Task ManifestsTagsAndLinksAreSyncedWhereTheyAreNamed()
    {
        var ct = CancellationToken.None;
        var manifest = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"n\":\"" + Guid.NewGuid() + "\"}");
        var digest = D(manifest);
        var layer = D("layer"u8.ToArray());

        await _storage.PutAsync(digest, manifest, ct);
        Assert.True(SyncedWith(Path.Combine(_root, "blobs", "sha256", digest.Hex[..2], digest.Hex)));

        await _storage.LinkBlobAsync("team/app", layer, ct);
        var link = Path.Combine(_root, "repositories", "team", "app", "_layers", "sha256", layer.Hex);
        Assert.True(File.Exists(link));
        Assert.True(SyncedWith(link));

        // The repository folder itself is new: its name is synced into repositories/team, and "team" into repositories.
        Assert.True(SyncedWith(Path.Combine(_root, "repositories", "team", "app")));
        Assert.True(SyncedWith(Path.Combine(_root, "repositories", "team")));

        _syncs.Clear();
        await _storage.PutManifestAsync("team/app", digest, "application/vnd.oci.image.manifest.v1+json", "v1", null, ct);
        Assert.True(SyncedWith(Path.Combine(_root, "repositories", "team", "app", "_manifests", "revisions", "sha256", digest.Hex)));
        var tag = Path.Combine(_root, "repositories", "team", "app", "_manifests", "tags", "v1");
        Assert.True(SyncedWith(tag));
        Assert.Equal(digest, await _storage.ResolveTagAsync("team/app", "v1", ct));

        // Moving a tag rewrites it through a rename, synced again.
        _syncs.Clear();
        var next = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"next\":1}");
        await _storage.PutAsync(D(next), next, ct);
        await _storage.PutManifestAsync("team/app", D(next), "application/vnd.oci.image.manifest.v1+json", "v1", null, ct);
        Assert.True(SyncedWith(tag));
        Assert.Equal(D(next), await _storage.ResolveTagAsync("team/app", "v1", ct));
    }

    [Fact]
    public void TheRealDirectorySyncWorksAndFailsOnAFile()
    {
        DirectorySync.Sync(_root);
        var file = Path.Combine(_root, "f");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<ErrnoException>(() => DirectorySync.Sync(file));
        Assert.Equal(Errno.ENOTDIR, e.Errno);
    }
}
