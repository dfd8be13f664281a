using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Oci;

namespace Wharf.Distribution;

/// <summary>
/// Downloads a blob into a file while hashing it. A connection that breaks midway keeps what
/// arrived: the next attempt asks for the rest with a Range request (a registry that answers
/// 200 instead of 206 restarts the file). When the endpoint that breaks is a mirror, the rest
/// comes from the next endpoint (the upstream) at once. The digest and size are checked at the end
/// over all the bytes, wherever they came from.
/// </summary>
internal static class BlobDownloader
{
    public const int MaxAttempts = 5;

    public static async Task DownloadAsync(BlobSources sources, Digest digest, long size, string path, Func<long, ValueTask> progress, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        long have = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var session = sources.Current;
                try
                {
                    var from = have;
                    using var response = await session.SendAsync(
                        () =>
                        {
                            var r = new HttpRequestMessage(HttpMethod.Get, session.Url("blobs/" + digest.Value));
                            if (from > 0)
                            {
                                r.Headers.Range = new RangeHeaderValue(from, null);
                            }

                            return r;
                        },
                        HttpCompletionOption.ResponseHeadersRead,
                        cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                    }

                    if (from > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                    {
                        // The server ignored the range: start over.
                        file.SetLength(0);
                        file.Position = 0;
                        hash.GetHashAndReset();
                        have = 0;
                        await progress(0).ConfigureAwait(false);
                    }

                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    long lastReport = have;
                    int n;
                    while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (size > 0 && have + n > size)
                        {
                            throw WharfException.Invalid($"blob {digest} is larger than its descriptor's {size} bytes");
                        }

                        hash.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        have += n;
                        if (have - lastReport >= 512 * 1024)
                        {
                            lastReport = have;
                            await progress(have).ConfigureAwait(false);
                        }
                    }

                    if (size > 0 && have < size)
                    {
                        throw new IOException($"blob {digest} ended after {have} of {size} bytes");
                    }

                    break;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException or RegistryException && sources.FallBack(session, e))
                {
                    // Continue from the next endpoint with what arrived so far; its retries start afresh.
                    attempt = 0;
                }
                catch (Exception e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
                }
            }

            await progress(have).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            var got = Digest.FromSha256Hash(hash.GetHashAndReset());
            if (digest.Algorithm == Digest.Sha256 && got != digest)
            {
                throw WharfException.Invalid($"filesystem layer verification failed for digest {digest}");
            }

            if (digest.Algorithm != Digest.Sha256)
            {
                throw WharfException.Invalid($"unsupported digest algorithm: {digest.Algorithm}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A small blob (a config) in memory, verified.</summary>
    public static async Task<byte[]> ReadSmallAsync(BlobSources sources, Digest digest, long size, int limit, CancellationToken cancellationToken)
    {
        if (size > limit)
        {
            throw WharfException.Invalid($"blob {digest} is too large ({size} bytes)");
        }

        for (var attempt = 1; ; attempt++)
        {
            var session = sources.Current;
            try
            {
                using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, session.Url("blobs/" + digest.Value)), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                }

                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (Digest.ComputeSha256(bytes) != digest)
                {
                    throw WharfException.Invalid($"image config verification failed for digest {digest}");
                }

                return bytes;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException or RegistryException && sources.FallBack(session, e))
            {
                attempt = 0;
            }
            catch (Exception e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
