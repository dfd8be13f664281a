using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wharf.Oci;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Storage;

internal sealed partial class FileSystemStorage
{
    /// <summary>One lock per live session, so two requests on the same session never interleave bytes,
    /// and the running sha256 of what the session holds so a commit need not read it back.</summary>
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);

    private sealed class SessionState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The sha256 of the first <see cref="HashedBytes"/> bytes, or null when unknown (after a restart).</summary>
        public IncrementalHash? Sha256 { get; set; }

        public long HashedBytes { get; set; }
    }

    private string SessionDir(string id) => Path.Combine(_uploads, id);

    private static bool IsValidSessionId(string id) => id.Length == 32 && Digest.IsLowerHex(id);

    public async Task<UploadStatus> StartAsync(string repository, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        // Built in tmp/ and renamed into uploads/, so a session is never seen without its repository file.
        var staging = Path.Combine(_tmp, id);
        Directory.CreateDirectory(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "repository"), repository, cancellationToken).ConfigureAwait(false);
        await File.WriteAllBytesAsync(Path.Combine(staging, "data"), [], cancellationToken).ConfigureAwait(false);
        Directory.Move(staging, SessionDir(id));
        _sessions[id] = new SessionState { Sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256) };
        return new UploadStatus(id, repository, 0);
    }

    public async Task<UploadStatus?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidSessionId(id))
        {
            return null;
        }
        var dir = SessionDir(id);
        try
        {
            var repository = await File.ReadAllTextAsync(Path.Combine(dir, "repository"), cancellationToken).ConfigureAwait(false);
            return new UploadStatus(id, repository, new FileInfo(Path.Combine(dir, "data")).Length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The session's lock and hash state; an id that is not a session id is refused before it can name a path.</summary>
    private SessionState State(string id) =>
        IsValidSessionId(id)
            ? _sessions.GetOrAdd(id, _ => new SessionState())
            : throw new RegistryException(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry");

    public async Task<long> AppendAsync(string id, long? expectedOffset, Stream content, CancellationToken cancellationToken)
    {
        var state = State(id);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var data = Path.Combine(SessionDir(id), "data");
            FileStream file;
            try
            {
                file = new FileStream(data, FileMode.Open, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new RegistryException(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry");
            }
            await using (file.ConfigureAwait(false))
            {
                var size = file.Length;
                if (expectedOffset is { } offset && offset != size)
                {
                    throw new RegistryException(RegistryErrorKind.UploadRangeInvalid, "invalid content range", $"upload holds {size} bytes; chunk starts at {offset}");
                }
                file.Position = size;
                if (state.Sha256 is not null && state.HashedBytes != size)
                {
                    state.Sha256.Dispose();
                    state.Sha256 = null;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
                try
                {
                    int n;
                    while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        state.Sha256?.AppendData(buffer, 0, n);
                        state.HashedBytes += n;
                    }
                }
                catch
                {
                    // What reached the file stays (the client may resume); the running hash may not
                    // match it any more, so it is recomputed at commit.
                    state.Sha256?.Dispose();
                    state.Sha256 = null;
                    throw;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                return file.Length;
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    public async Task<long> CommitAsync(string id, Digest digest, CancellationToken cancellationToken)
    {
        var state = State(id);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var dir = SessionDir(id);
        var data = Path.Combine(dir, "data");
        try
        {
            long size;
            Digest actual;
            var file = new FileStream(data, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                size = file.Length;
                // The bytes must be on disk before the rename publishes them.
                file.Flush(flushToDisk: true);
                if (digest.Algorithm == Digest.Sha256 && state.Sha256 is not null && state.HashedBytes == size)
                {
                    actual = Digest.FromSha256Hash(state.Sha256.GetHashAndReset());
                }
                else
                {
                    var hash = digest.Algorithm == Digest.Sha512
                        ? await SHA512.HashDataAsync(file, cancellationToken).ConfigureAwait(false)
                        : await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
                    actual = Digest.Parse(digest.Algorithm + ":" + Convert.ToHexStringLower(hash));
                }
            }
            if (actual != digest)
            {
                throw new RegistryException(RegistryErrorKind.DigestInvalid, "provided digest did not match uploaded content", digest.Value);
            }
            var target = BlobPath(digest);
            if (!File.Exists(target))
            {
                var blobDir = Path.GetDirectoryName(target)!;
                CreateDirectoryDurably(blobDir);
                File.Move(data, target, overwrite: true);
                _syncDirectory(blobDir);
            }
            return size;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RegistryException(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry");
        }
        finally
        {
            TryDelete(dir);
            _sessions.TryRemove(id, out _);
            state.Sha256?.Dispose();
            state.Sha256 = null;
            state.Gate.Release();
        }
    }

    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidSessionId(id))
        {
            return false;
        }
        var state = State(id);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dir = SessionDir(id);
            if (!Directory.Exists(dir))
            {
                return false;
            }
            TryDelete(dir);
            return true;
        }
        finally
        {
            _sessions.TryRemove(id, out _);
            state.Gate.Release();
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories(_uploads))
        {
            var data = Path.Combine(dir, "data");
            var touched = File.Exists(data) ? File.GetLastWriteTimeUtc(data) : Directory.GetLastWriteTimeUtc(dir);
            if (touched < olderThan.UtcDateTime)
            {
                TryDelete(dir);
                count++;
            }
        }
        return Task.FromResult(count);
    }
}
