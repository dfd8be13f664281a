using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// Downloads the sources of <c>ADD &lt;http(s) URL&gt;</c> in the daemon, as Docker's legacy
/// builder does: the file is written into the build's own temp area with mode 0600 and the
/// Last-Modified time, never unpacked. Bounded: a size cap, a stall timeout (no bytes for that
/// long) and a redirect limit, each failing as a clear build error.
/// </summary>
internal sealed class RemoteDownloader
{
    /// <summary>The largest download accepted (1 GiB unless a test sets less).</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>How long the server may send nothing (connect, headers, or between reads).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What an error message starts with (what the download was for).</summary>
    public string ErrorPrefix { get; init; } = "ADD failed";

    /// <summary>Redirects followed before giving up (Go's http client stops after 10).</summary>
    public int MaxRedirects { get; init; } = 10;

    internal static bool IsUrl(string source)
        => source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="dir"/>; returns the file's path and
    /// the name Docker derives (from the URL path, else Content-Disposition, else empty).
    /// </summary>
    public async Task<(string Path, string Name, string Sha256)> DownloadAsync(string url, string dir, CancellationToken cancellationToken)
        => await DownloadAsync(url, dir, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="DownloadAsync(string, string, CancellationToken)"/>, reporting bytes read
    /// and the length the server announced (-1: none) to <paramref name="progress"/> as Docker's
    /// progress reader does: after the first read, then at most every 512 KiB and 100 ms, and at the end.
    /// </summary>
    public async Task<(string Path, string Name, string Sha256)> DownloadAsync(string url, string dir, Func<long, long, ValueTask>? progress, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw WharfException.Invalid($"{ErrorPrefix}: invalid URL {url}");
        }

        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            ConnectTimeout = StallTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(StallTimeout);
        var path = Path.Combine(dir, "download-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw WharfException.Invalid($"{ErrorPrefix}: Get \"{url}\": stopped after {MaxRedirects} redirects");
            }

            if (status is < 200 or >= 300)
            {
                var body = await ReadSomeAsync(response, stall.Token).ConfigureAwait(false);
                throw WharfException.Invalid($"{ErrorPrefix}: failed to GET {url} with status {status} {response.ReasonPhrase}: {body}");
            }

            if (response.Content.Headers.ContentLength is { } length && length > MaxBytes)
            {
                throw TooLarge(url);
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous });
            await using (file.ConfigureAwait(false))
            {
                var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 15];
                    long total = 0;
                    var size = response.Content.Headers.ContentLength ?? -1;
                    var reporter = progress is null ? null : new DownloadProgress(progress, size, TimeProvider.System);
                    while (true)
                    {
                        stall.CancelAfter(StallTimeout);
                        var n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        total += n;
                        if (total > MaxBytes)
                        {
                            throw TooLarge(url);
                        }

                        sha.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), stall.Token).ConfigureAwait(false);
                        if (reporter is not null)
                        {
                            await reporter.ReadAsync(total, last: false).ConfigureAwait(false);
                        }
                    }

                    if (reporter is not null)
                    {
                        await reporter.ReadAsync(total, last: true).ConfigureAwait(false);
                    }
                }
            }

            // The mode is 0600 whatever the umask (Docker sets it for remote files).
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (response.Content.Headers.LastModified is { } modified)
            {
                File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
            }

            return (path, FileName(uri, response.Content.Headers.ContentDisposition), "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            File.Delete(path);
            throw WharfException.Invalid($"{ErrorPrefix}: Get \"{url}\": no data received for {StallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds", e);
        }
        catch (HttpRequestException e)
        {
            File.Delete(path);
            throw WharfException.Invalid($"{ErrorPrefix}: Get \"{url}\": {e.Message}", e);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private WharfException TooLarge(string url)
        => WharfException.Invalid($"{ErrorPrefix}: Get \"{url}\": the download is larger than the limit of {MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes");

    /// <summary>Docker's name for a download: the URL path's last element, else Content-Disposition's filename.</summary>
    internal static string FileName(Uri uri, ContentDispositionHeaderValue? disposition)
    {
        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        if (path.Length > 0 && !path.EndsWith('/'))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            if (name.Length > 0 && name != "." && name != "..")
            {
                return name;
            }
        }

        var given = (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"');
        if (!string.IsNullOrEmpty(given) && !given.EndsWith('/'))
        {
            var name = given[(given.LastIndexOf('/') + 1)..];
            if (name.Length > 0 && name != "." && name != "..")
            {
                return name;
            }
        }

        return "";
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var buffer = new byte[512];
            var n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
    }
}
