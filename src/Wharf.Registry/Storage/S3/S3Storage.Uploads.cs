using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Wharf.Oci;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// Upload sessions. Bytes are gathered into parts of <see cref="S3Settings.PartSize"/>; each full
/// part goes to a multipart upload on <c>uploads/&lt;id&gt;/data</c>, and what is left when a
/// request ends (or breaks) is saved as the session's tail object, so a client can resume from
/// the size a status request reports. A commit sends the tail as the last part, completes the
/// multipart upload (still under uploads/, never served), verifies the digest and only then
/// copies the object to its content-addressed key. A session with no full part is verified in
/// memory and written to its key with one PUT.
/// </summary>
internal sealed partial class S3Storage
{
    /// <summary>One lock per live session, and the running sha256 of the session's bytes (valid for one stored generation).</summary>
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>Objects larger than this are copied into place part by part (S3 caps CopyObject at 5 GiB); settable for tests.</summary>
    internal long SingleCopyLimit { get; init; } = S3Client.MaxSingleCopy;

    /// <summary>Part size of such a copy.</summary>
    internal long CopyPartSize { get; init; } = 1024L * 1024 * 1024;

    private sealed class Session
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IncrementalHash? Sha256 { get; set; }

        public long HashedBytes { get; set; }

        /// <summary>The stored state's generation the hash belongs to; another means the hash is stale.</summary>
        public long Generation { get; set; } = -1;
    }

    private static bool IsValidSessionId(string id) => id.Length == 32 && Digest.IsLowerHex(id);

    private static RegistryException UploadUnknown() => new(RegistryErrorKind.BlobUploadUnknown, "blob upload unknown to registry");

    private Session SessionFor(string id) =>
        IsValidSessionId(id) ? _sessions.GetOrAdd(id, _ => new Session()) : throw UploadUnknown();

    public async Task<UploadStatus> StartAsync(string repository, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        await WriteStateAsync(id, new S3UploadState { Repository = repository }, cancellationToken).ConfigureAwait(false);
        _sessions[id] = new Session { Sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256), Generation = 0 };
        return new UploadStatus(id, repository, 0);
    }

    public async Task<UploadStatus?> GetAsync(string id, CancellationToken cancellationToken) =>
        IsValidSessionId(id) && await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) is { } state
            ? new UploadStatus(id, state.Repository, state.Size)
            : null;

    public async Task<long> AppendAsync(string id, long? expectedOffset, Stream content, CancellationToken cancellationToken)
    {
        var session = SessionFor(id);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) ?? throw UploadUnknown();
            var size = state.Size;
            if (expectedOffset is { } offset && offset != size)
            {
                throw new RegistryException(RegistryErrorKind.UploadRangeInvalid, "invalid content range", $"upload holds {size} bytes; chunk starts at {offset}");
            }
            if (session.Sha256 is not null && (session.HashedBytes != size || session.Generation != state.Generation))
            {
                session.Sha256.Dispose();
                session.Sha256 = null;
            }
            var partSize = _s3.Settings.PartSize;
            var buffer = ArrayPool<byte>.Shared.Rent(partSize);
            try
            {
                var fill = 0;
                if (state.TailSize > 0)
                {
                    var tail = await ReadTailAsync(id, state, cancellationToken).ConfigureAwait(false);
                    tail.CopyTo(buffer, 0);
                    fill = tail.Length;
                }
                var dirty = false;
                try
                {
                    while (true)
                    {
                        if (fill == partSize)
                        {
                            state = await SendPartAsync(id, state, session, buffer.AsMemory(0, partSize), cancellationToken).ConfigureAwait(false);
                            fill = 0;
                            dirty = false;
                        }
                        var n = await content.ReadAsync(buffer.AsMemory(fill, partSize - fill), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }
                        session.Sha256?.AppendData(buffer, fill, n);
                        session.HashedBytes += n;
                        fill += n;
                        dirty = true;
                    }
                }
                catch (Exception e) when (dirty && e is IOException or OperationCanceledException)
                {
                    // Kestrel reports a client gone mid-body as an IOException (BadHttpRequestException, ConnectionResetException).
                    // The client went away mid-body: what arrived stays in the session, so it can resume.
                    try
                    {
                        await SaveTailAsync(id, state, session, buffer.AsMemory(0, fill), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                    }
                    throw;
                }
                if (dirty)
                {
                    state = await SaveTailAsync(id, state, session, buffer.AsMemory(0, fill), cancellationToken).ConfigureAwait(false);
                }
                return state.Size;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public async Task<long> CommitAsync(string id, Digest digest, CancellationToken cancellationToken)
    {
        var session = SessionFor(id);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        S3UploadState? state = null;
        var completed = false;
        try
        {
            state = await ReadStateAsync(id, cancellationToken).ConfigureAwait(false) ?? throw UploadUnknown();
            var size = state.Size;
            Digest? known = digest.Algorithm == Digest.Sha256 && session.Sha256 is not null && session.HashedBytes == size && session.Generation == state.Generation
                ? Digest.FromSha256Hash(session.Sha256.GetHashAndReset())
                : null;
            if (state.Parts.Count == 0)
            {
                var bytes = state.TailSize > 0 ? await ReadTailAsync(id, state, cancellationToken).ConfigureAwait(false) : [];
                if ((known ?? Compute(digest.Algorithm, bytes)) != digest)
                {
                    throw DigestMismatch(digest);
                }
                await PutAsync(digest, bytes, cancellationToken).ConfigureAwait(false);
                return size;
            }
            var data = S3Keys.UploadData(id);
            var parts = state.Parts.Select(p => (p.Number, p.ETag)).ToList();
            if (state.TailSize > 0)
            {
                var tail = await ReadTailAsync(id, state, cancellationToken).ConfigureAwait(false);
                var number = state.Parts.Count + 1;
                parts.Add((number, await _s3.UploadPartAsync(data, state.MultipartId!, number, tail, cancellationToken).ConfigureAwait(false)));
            }
            await CompleteAsync(data, state.MultipartId!, parts, size, cancellationToken).ConfigureAwait(false);
            completed = true;
            if ((known ?? await HashObjectAsync(data, size, digest.Algorithm, cancellationToken).ConfigureAwait(false)) != digest)
            {
                throw DigestMismatch(digest);
            }
            var target = S3Keys.Blob(digest);
            if (await _s3.HeadAsync(target, cancellationToken).ConfigureAwait(false) is null)
            {
                await CopyIntoPlaceAsync(data, target, size, cancellationToken).ConfigureAwait(false);
            }
            return size;
        }
        finally
        {
            // The session ends either way.
            await CleanUpAsync(id, state, completed).ConfigureAwait(false);
            _sessions.TryRemove(id, out _);
            session.Sha256?.Dispose();
            session.Sha256 = null;
            session.Gate.Release();
        }
    }

    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidSessionId(id))
        {
            return false;
        }
        var session = SessionFor(id);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await ReadStateAsync(id, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return false;
            }
            await CleanUpAsync(id, state, completed: false).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _sessions.TryRemove(id, out _);
            session.Gate.Release();
        }
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var lastTouched = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var o in await ListAllAsync(S3Keys.UploadsPrefix, cancellationToken).ConfigureAwait(false))
        {
            var rest = o.Key[S3Keys.UploadsPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                continue;
            }
            var id = rest[..slash];
            lastTouched[id] = lastTouched.TryGetValue(id, out var t) && t > o.LastModified ? t : o.LastModified;
        }
        var count = 0;
        foreach (var (id, touched) in lastTouched)
        {
            if (touched < olderThan)
            {
                S3UploadState? state = null;
                try
                {
                    state = await ReadStateAsync(id, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                }
                await CleanUpAsync(id, state, completed: false).ConfigureAwait(false);
                count++;
            }
        }
        return count;
    }

    private static RegistryException DigestMismatch(Digest digest) =>
        new(RegistryErrorKind.DigestInvalid, "provided digest did not match uploaded content", digest.Value);

    private static Digest Compute(string algorithm, byte[] bytes) =>
        algorithm == Digest.Sha512
            ? Digest.Parse(Digest.Sha512 + ":" + Convert.ToHexStringLower(SHA512.HashData(bytes)))
            : Digest.ComputeSha256(bytes);

    private async Task<Digest> HashObjectAsync(string key, long size, string algorithm, CancellationToken ct)
    {
        var stream = new S3ReadStream(_s3, key, size);
        await using (stream.ConfigureAwait(false))
        {
            var hash = algorithm == Digest.Sha512
                ? await SHA512.HashDataAsync(stream, ct).ConfigureAwait(false)
                : await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
            return Digest.Parse(algorithm + ":" + Convert.ToHexStringLower(hash));
        }
    }

    /// <summary>Copies a verified object to its content-addressed key in one atomic step (CompleteMultipartUpload for large ones).</summary>
    private async Task CopyIntoPlaceAsync(string source, string target, long size, CancellationToken ct)
    {
        if (size <= SingleCopyLimit)
        {
            await _s3.CopyAsync(source, target, ct).ConfigureAwait(false);
            return;
        }
        var uploadId = await _s3.CreateMultipartAsync(target, ct).ConfigureAwait(false);
        try
        {
            var parts = new List<(int, string)>();
            for (long first = 0; first < size; first += CopyPartSize)
            {
                var last = Math.Min(first + CopyPartSize, size) - 1;
                var number = parts.Count + 1;
                parts.Add((number, await _s3.UploadPartCopyAsync(target, uploadId, number, source, first, last, ct).ConfigureAwait(false)));
            }
            await CompleteAsync(target, uploadId, parts, size, ct).ConfigureAwait(false);
        }
        catch
        {
            await _s3.AbortMultipartAsync(target, uploadId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Completes a multipart upload. The client sends a completion again when its answer was lost,
    /// but the first one may have taken effect: the repeat then fails (S3 may answer NoSuchUpload;
    /// moto completes it again). The object being there whole means it did: only this upload writes that key.
    /// </summary>
    private async Task CompleteAsync(string key, string uploadId, IReadOnlyList<(int Number, string ETag)> parts, long size, CancellationToken ct)
    {
        try
        {
            await _s3.CompleteMultipartAsync(key, uploadId, parts, ct).ConfigureAwait(false);
        }
        catch (S3Exception) when (!ct.IsCancellationRequested)
        {
            if (await _s3.HeadAsync(key, ct).ConfigureAwait(false) is { } o && o.Size == size)
            {
                return;
            }
            throw;
        }
    }

    /// <summary>Sends a full part and records it; the tail it absorbed is no longer needed.</summary>
    private async Task<S3UploadState> SendPartAsync(string id, S3UploadState state, Session session, ReadOnlyMemory<byte> part, CancellationToken ct)
    {
        var data = S3Keys.UploadData(id);
        var multipartId = state.MultipartId ?? await _s3.CreateMultipartAsync(data, ct).ConfigureAwait(false);
        var number = state.Parts.Count + 1;
        var etag = await _s3.UploadPartAsync(data, multipartId, number, part, ct).ConfigureAwait(false);
        var next = state with
        {
            MultipartId = multipartId,
            Parts = [.. state.Parts, new S3UploadPart(number, etag, part.Length)],
            TailSize = 0,
            Generation = state.Generation + 1,
        };
        await ReplaceStateAsync(id, state, next, session, ct).ConfigureAwait(false);
        return next;
    }

    /// <summary>Saves the bytes past the last full part as a new tail object, then the state naming it.</summary>
    private async Task<S3UploadState> SaveTailAsync(string id, S3UploadState state, Session session, ReadOnlyMemory<byte> tail, CancellationToken ct)
    {
        var next = state with { TailSize = tail.Length, Generation = state.Generation + 1 };
        if (tail.Length > 0)
        {
            await _s3.PutAsync(S3Keys.UploadTail(id, next.Generation), tail, ct).ConfigureAwait(false);
        }
        await ReplaceStateAsync(id, state, next, session, ct).ConfigureAwait(false);
        return next;
    }

    private async Task ReplaceStateAsync(string id, S3UploadState previous, S3UploadState next, Session session, CancellationToken ct)
    {
        await WriteStateAsync(id, next, ct).ConfigureAwait(false);
        session.Generation = next.Generation;
        if (previous.TailSize > 0)
        {
            await _s3.DeleteAsync(S3Keys.UploadTail(id, previous.Generation), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadTailAsync(string id, S3UploadState state, CancellationToken ct)
    {
        var tail = await _s3.GetBytesAsync(S3Keys.UploadTail(id, state.Generation), ct).ConfigureAwait(false);
        return tail is not null && tail.Length == state.TailSize
            ? tail
            : throw new S3Exception($"upload {id}: its tail object is missing or has the wrong size", HttpStatusCode.Conflict, null);
    }

    private Task WriteStateAsync(string id, S3UploadState state, CancellationToken ct) =>
        _s3.PutAsync(S3Keys.UploadState(id), JsonSerializer.SerializeToUtf8Bytes(state, S3JsonContext.Default.S3UploadState), ct);

    private async Task<S3UploadState?> ReadStateAsync(string id, CancellationToken ct)
    {
        var bytes = await _s3.GetBytesAsync(S3Keys.UploadState(id), ct).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, S3JsonContext.Default.S3UploadState);
        }
        catch (JsonException e)
        {
            throw new S3Exception($"upload {id}: unreadable state ({e.Message})", e);
        }
    }

    /// <summary>Removes every object of a session and aborts its multipart upload; best effort (a purge finds leftovers).</summary>
    private async Task CleanUpAsync(string id, S3UploadState? state, bool completed)
    {
        var ct = CancellationToken.None;
        try
        {
            await _s3.DeleteAsync(S3Keys.UploadState(id), ct).ConfigureAwait(false);
            if (state?.MultipartId is { } multipartId && !completed)
            {
                await _s3.AbortMultipartAsync(S3Keys.UploadData(id), multipartId, ct).ConfigureAwait(false);
            }
            foreach (var o in await ListAllAsync(S3Keys.Upload(id), ct).ConfigureAwait(false))
            {
                await _s3.DeleteAsync(o.Key, ct).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
        }
    }
}
