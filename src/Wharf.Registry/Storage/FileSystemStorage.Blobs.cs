using System.Runtime.CompilerServices;
using Wharf.Oci;

namespace Wharf.Registry.Storage;

internal sealed partial class FileSystemStorage
{
    public ValueTask<BlobInfo?> StatAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        var info = new FileInfo(path);
        return ValueTask.FromResult(info.Exists ? new BlobInfo(info.Length, path) : null);
    }

    public ValueTask<Stream?> OpenReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            Stream s = new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return ValueTask.FromResult<Stream?>(s);
        }
        catch (FileNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
    }

    public async ValueTask<byte[]?> ReadAllAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(BlobPath(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task PutAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        return File.Exists(path) ? Task.CompletedTask : WriteAtomicAsync(path, content, cancellationToken);
    }

    public Task<bool> DeleteAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<(Digest Digest, DateTimeOffset Stored)> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var algDir in Directory.EnumerateDirectories(_blobs))
        {
            var alg = Path.GetFileName(algDir);
            foreach (var prefixDir in Directory.EnumerateDirectories(algDir))
            {
                foreach (var file in Directory.EnumerateFiles(prefixDir))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (Digest.TryParse(alg + ":" + Path.GetFileName(file), out var d))
                    {
                        yield return (d, File.GetLastWriteTimeUtc(file));
                    }
                }
            }
            await Task.Yield();
        }
    }
}
