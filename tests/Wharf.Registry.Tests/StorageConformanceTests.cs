using System.Text;
using Wharf.Oci;
using Wharf.Registry.Errors;
using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

/// <summary>
/// The contract of the storage role interfaces, written once against the interfaces; each
/// backend gets a subclass that says how to make a fresh instance.
/// </summary>
public abstract class StorageConformanceTests : IDisposable
{
    private readonly (IBlobStore Blobs, IUploadStore Uploads, IRepositoryStore Repos) _s;

    private protected StorageConformanceTests() => _s = Create();

    private protected abstract (IBlobStore Blobs, IUploadStore Uploads, IRepositoryStore Repos) Create();

    public abstract void Dispose();

    private static Digest D(string text) => Digest.ComputeSha256(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task BlobsAppearOnlyWhenCommittedUnderTheRightDigest()
    {
        var ct = CancellationToken.None;
        var session = await _s.Uploads.StartAsync("repo", ct);
        Assert.Equal(0, session.Size);
        await _s.Uploads.AppendAsync(session.Id, 0, new MemoryStream("hello "u8.ToArray()), ct);
        Assert.Null(await _s.Blobs.StatAsync(D("hello world"), ct));
        var ex = await Assert.ThrowsAsync<RegistryException>(() => _s.Uploads.AppendAsync(session.Id, 3, new MemoryStream("x"u8.ToArray()), ct));
        Assert.Equal(RegistryErrorKind.UploadRangeInvalid, ex.Kind);
        Assert.Equal(6, await _s.Uploads.AppendAsync(session.Id, null, new MemoryStream(), ct));
        Assert.Equal(11, await _s.Uploads.AppendAsync(session.Id, 6, new MemoryStream("world"u8.ToArray()), ct));
        Assert.Equal(11, (await _s.Uploads.GetAsync(session.Id, ct))!.Size);
        Assert.Equal(11, await _s.Uploads.CommitAsync(session.Id, D("hello world"), ct));
        Assert.Null(await _s.Uploads.GetAsync(session.Id, ct));
        Assert.Equal(11, (await _s.Blobs.StatAsync(D("hello world"), ct))!.Size);
        Assert.Equal("hello world"u8.ToArray(), await _s.Blobs.ReadAllAsync(D("hello world"), ct));

        var bad = await _s.Uploads.StartAsync("repo", ct);
        await _s.Uploads.AppendAsync(bad.Id, null, new MemoryStream("abc"u8.ToArray()), ct);
        var mismatch = await Assert.ThrowsAsync<RegistryException>(() => _s.Uploads.CommitAsync(bad.Id, D("abd"), ct));
        Assert.Equal(RegistryErrorKind.DigestInvalid, mismatch.Kind);
        Assert.Null(await _s.Blobs.StatAsync(D("abd"), ct));
        Assert.Null(await _s.Blobs.StatAsync(D("abc"), ct));
        Assert.Null(await _s.Uploads.GetAsync(bad.Id, ct));
    }

    [Fact]
    public async Task UnknownSessionsAreNullOrBlobUploadUnknown()
    {
        var ct = CancellationToken.None;
        Assert.Null(await _s.Uploads.GetAsync("../../etc", ct));
        Assert.Null(await _s.Uploads.GetAsync(new string('a', 32), ct));
        Assert.False(await _s.Uploads.CancelAsync(new string('b', 32), ct));
        Assert.False(await _s.Uploads.CancelAsync("../../tmp", ct));
        var escape = await Assert.ThrowsAsync<RegistryException>(() => _s.Uploads.AppendAsync("../repositories", null, new MemoryStream(), ct));
        Assert.Equal(RegistryErrorKind.BlobUploadUnknown, escape.Kind);
        await Assert.ThrowsAsync<RegistryException>(() => _s.Uploads.CommitAsync("../x", D("x"), ct));
        var ex = await Assert.ThrowsAsync<RegistryException>(() => _s.Uploads.AppendAsync(new string('c', 32), null, new MemoryStream(), ct));
        Assert.Equal(RegistryErrorKind.BlobUploadUnknown, ex.Kind);
    }

    [Fact]
    public async Task RepositoriesTrackLinksRevisionsTagsAndReferrers()
    {
        var ct = CancellationToken.None;
        Assert.False(await _s.Repos.ExistsAsync("a/b", ct));
        var layer = D("layer");
        await _s.Repos.LinkBlobAsync("a/b", layer, ct);
        Assert.True(await _s.Repos.ExistsAsync("a/b", ct));
        Assert.True(await _s.Repos.IsBlobLinkedAsync("a/b", layer, ct));
        Assert.False(await _s.Repos.IsBlobLinkedAsync("a", layer, ct));

        var manifest = D("manifest");
        var referrer = D("referrer");
        await _s.Repos.PutManifestAsync("a/b", manifest, "application/vnd.oci.image.manifest.v1+json", "v1", null, ct);
        await _s.Repos.PutManifestAsync("a/b", referrer, "application/vnd.oci.image.manifest.v1+json", null, manifest, ct);
        Assert.Equal(manifest, await _s.Repos.ResolveTagAsync("a/b", "v1", ct));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", await _s.Repos.GetManifestMediaTypeAsync("a/b", manifest, ct));
        Assert.Equal([referrer], await _s.Repos.ListReferrersAsync("a/b", manifest, ct));
        Assert.Equal(["v1"], await _s.Repos.ListTagsAsync("a/b", ct));
        Assert.Equal(["a/b"], await _s.Repos.ListRepositoriesAsync(ct));

        Assert.True(await _s.Repos.DeleteManifestAsync("a/b", referrer, manifest, ct));
        Assert.Empty(await _s.Repos.ListReferrersAsync("a/b", manifest, ct));
        Assert.True(await _s.Repos.DeleteManifestAsync("a/b", manifest, null, ct));
        Assert.Null(await _s.Repos.ResolveTagAsync("a/b", "v1", ct));
        Assert.False(await _s.Repos.DeleteManifestAsync("a/b", manifest, null, ct));
        Assert.True(await _s.Repos.UnlinkBlobAsync("a/b", layer, ct));
        Assert.False(await _s.Repos.UnlinkBlobAsync("a/b", layer, ct));
    }
}

public sealed class FileSystemStorageConformanceTests : StorageConformanceTests
{
    private string? _root;

    private protected override (IBlobStore Blobs, IUploadStore Uploads, IRepositoryStore Repos) Create()
    {
        _root = Directory.CreateTempSubdirectory("wharf-registry-storage-").FullName;
        var storage = new FileSystemStorage(_root, TimeProvider.System);
        return (storage, storage, storage);
    }

    public override void Dispose() => Directory.Delete(_root!, recursive: true);
}
