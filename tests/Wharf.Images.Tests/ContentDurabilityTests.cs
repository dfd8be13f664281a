using Wharf.Content;
using Wharf.Linux;
using Wharf.Oci;

namespace Wharf.Images.Tests;

/// <summary>
/// The content store fsyncs the blob directory after it renames a blob into place (written or
/// adopted), so a committed blob survives a power loss; the seam records what the directory held
/// when it was synced, then does the real fsync.
/// </summary>
public sealed class ContentDurabilityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wharf-content-durable-").FullName;
    private readonly List<(string Dir, string[] Entries)> _syncs = [];

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private FileContentStore Store() => new(_root, dir =>
    {
        _syncs.Add((dir, [.. Directory.EnumerateFileSystemEntries(dir).Select(e => Path.GetFileName(e))]));
        DirectorySync.Sync(dir);
    });

    [Fact]
    public async Task WrittenAndAdoptedBlobsAreSyncedIntoTheBlobDirectory()
    {
        var store = Store();
        var blobs = Path.Combine(_root, "blobs", "sha256");
        var written = await store.WriteAsync("written"u8.ToArray(), CancellationToken.None);
        Assert.Equal([(blobs, true)], _syncs.Select(s => (s.Dir, s.Entries.Contains(written.Digest.Hex))));

        var temp = Path.Combine(store.TempDirectory, "adopt");
        await File.WriteAllBytesAsync(temp, "adopted"u8.ToArray());
        var digest = Digest.ComputeSha256("adopted"u8.ToArray());
        await store.AdoptFileAsync(temp, digest, verified: false, CancellationToken.None);
        Assert.Equal(2, _syncs.Count);
        Assert.Contains(digest.Hex, _syncs[1].Entries);

        // A blob already there is not renamed again, so there is nothing to sync.
        await store.WriteAsync("written"u8.ToArray(), CancellationToken.None);
        Assert.Equal(2, _syncs.Count);
    }
}
