using System.Buffers;
using System.Security.Cryptography;
using Wharf.Core.Content;
using Wharf.Core.Errors;
using Wharf.Oci;

namespace Wharf.Content;

/// <summary>
/// Blobs under <c>root/blobs/&lt;alg&gt;/&lt;hex&gt;</c>. Writes go to <c>root/ingest</c> first and
/// are renamed into place after verification and fsync, so a blob path either holds the full,
/// verified content or does not exist; the blob directory is fsynced after the rename, so a
/// committed blob is still there after a power loss.
/// </summary>
public sealed class FileContentStore : IContentStore
{
    private const int BufferSize = 128 * 1024;
    private const long WritebackChunk = 8L << 20;
    private readonly string _blobs;
    private readonly string _ingest;
    private readonly Action<string> _syncDirectory;

    public FileContentStore(string root)
        : this(root, Wharf.Linux.DirectorySync.Sync)
    {
    }

    /// <param name="syncDirectory">fsyncs a directory; the seam tests watch it through.</param>
    public FileContentStore(string root, Action<string> syncDirectory)
    {
        _syncDirectory = syncDirectory;
        _blobs = Path.Combine(root, "blobs");
        _ingest = Path.Combine(root, "ingest");
        Directory.CreateDirectory(Path.Combine(_blobs, Digest.Sha256));
        Directory.CreateDirectory(_ingest);
    }

    public string TempDirectory => _ingest;

    public bool Exists(Digest digest) => File.Exists(PathOf(digest));

    public long GetSize(Digest digest)
    {
        var info = new FileInfo(PathOf(digest));
        return info.Exists ? info.Length : -1;
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw WharfException.NotFound($"content {digest} not found");
        }
    }

    public async Task<byte[]> ReadAllAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            throw WharfException.NotFound($"content {digest} not found");
        }
    }

    public async Task<BlobInfo> WriteAsync(Stream source, Digest? expected, CancellationToken cancellationToken)
    {
        if (expected is { } e && e.Algorithm != Digest.Sha256)
        {
            throw WharfException.Invalid($"unsupported digest algorithm {e.Algorithm}");
        }

        var temp = NewIngestPath();
        try
        {
            Digest actual;
            long size = 0;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    try
                    {
                        int n;
                        long queued = 0;
                        while ((n = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            hash.AppendData(buffer, 0, n);
                            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                            size += n;
                            if (size - queued >= WritebackChunk)
                            {
                                // The disk starts on what is written while the rest arrives; the fsync below waits only for the tail.
                                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                                Wharf.Linux.Writeback.Start(file.SafeFileHandle, queued, size - queued);
                                queued = size;
                            }
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    file.Flush(flushToDisk: true);
                }

                actual = Digest.FromSha256Hash(hash.GetHashAndReset());
            }

            if (expected is { } want && want != actual)
            {
                throw WharfException.Invalid($"digest mismatch: expected {want}, got {actual}");
            }

            Commit(temp, actual);
            return new BlobInfo(actual, size);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public Task<BlobInfo> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream(data.ToArray(), writable: false);
        return WriteAsync(stream, null, cancellationToken);
    }

    public async Task<BlobInfo> AdoptFileAsync(string path, Digest digest, bool verified, CancellationToken cancellationToken)
    {
        var actual = digest;
        if (!verified)
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            actual = await Digest.ComputeSha256Async(file, cancellationToken).ConfigureAwait(false);
        }

        if (actual != digest)
        {
            throw WharfException.Invalid($"digest mismatch: expected {digest}, got {actual}");
        }

        var size = new FileInfo(path).Length;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        {
            // The file was written without fsync; make it durable before it becomes visible.
            RandomAccess.FlushToDisk(handle);
        }

        Commit(path, actual);
        return new BlobInfo(actual, size);
    }

    public IEnumerable<BlobInfo> List()
    {
        var dir = Path.Combine(_blobs, Digest.Sha256);
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            if (Digest.TryParse(Digest.Sha256 + ":" + Path.GetFileName(file), out var d))
            {
                yield return new BlobInfo(d, new FileInfo(file).Length);
            }
        }
    }

    public void Delete(Digest digest) => TryDelete(PathOf(digest));

    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(_ingest))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                TryDelete(entry);
            }
        }

        return Task.CompletedTask;
    }

    private void Commit(string temp, Digest digest)
    {
        var target = PathOf(digest);
        if (File.Exists(target))
        {
            // Same digest means same bytes: keep the committed copy.
            return;
        }

        File.Move(temp, target, overwrite: true);
        _syncDirectory(Path.GetDirectoryName(target)!);
    }

    private string PathOf(Digest digest) => Path.Combine(_blobs, digest.Algorithm, digest.Hex);

    private string NewIngestPath() => Path.Combine(_ingest, "blob-" + Guid.NewGuid().ToString("N"));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
